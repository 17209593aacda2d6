import { describe, expect, it } from 'vitest';
import { storeOnlyDeps } from '../../../core/dreamgym/train/deps.ts';
import { runDreamGym } from '../../../core/dreamgym/train/run-dreamgym.ts';
import { runKeys } from '../../../core/dreamgym/train/run-keys.ts';
import { CurriculumStateSchema } from '../../../core/dreamgym/train/steps/curriculum.ts';
import { IterationTasksSchema } from '../../../core/dreamgym/train/steps/sample.ts';
import { FileStore } from '../../../core/store/file-store.ts';
import { getJson } from '../../../core/store/json.ts';
import { tempDir } from '../../helpers/runtime.ts';
import { registerOracle } from './helpers.ts';

registerOracle('oracle-curriculum');

const input = {
  mode: 'synthetic',
  iterations: 3,
  groupsPerIteration: 8,
  rolloutsPerGroup: 6,
  tasks: { trainCount: 40, evalCount: 5 },
  experienceModel: { kind: 'oracle-curriculum' },
} as const;

async function tasksOf(store: FileStore, runId: string, iteration: number) {
  return getJson(store, runKeys(runId).tasks(iteration), IterationTasksSchema);
}

describe('curriculum inside a run', () => {
  it('feeds the next iterations variations of high-value tasks, at most λ of them', async () => {
    // Prepare
    const store = new FileStore(await tempDir());
    // Act
    await runDreamGym({ ...input, runId: 'cur', curriculum: { syntheticShare: 0.25 } }, storeOnlyDeps(store));
    // Assess
    const first = await getJson(store, runKeys('cur').curriculum(1), CurriculumStateSchema);
    expect(first.generator).toBe('shop-known');
    expect(first.seeds.length).toBeGreaterThan(0);
    expect(first.pool.length).toBeGreaterThan(0);
    expect(first.top[0].value).toBeGreaterThan(0);
    for (const iteration of [2, 3]) {
      const plan = await tasksOf(store, 'cur', iteration);
      const fromCurriculum = plan.tasks.filter((t) => t.origin === 'curriculum');
      expect(fromCurriculum.length).toBeGreaterThan(0);
      expect(fromCurriculum.length).toBeLessThanOrEqual(2);
      expect(fromCurriculum.every((t) => t.task.id.startsWith('shop-goal-'))).toBe(true);
    }
  });

  it('samples original tasks only when the curriculum is off', async () => {
    const store = new FileStore(await tempDir());
    await runDreamGym({ ...input, runId: 'flat', curriculum: { enabled: false } }, storeOnlyDeps(store));
    const plans = await Promise.all([1, 2, 3].map((i) => tasksOf(store, 'flat', i)));
    expect(plans.flatMap((p) => p.tasks).every((t) => t.origin === 'original')).toBe(true);
    expect((await getJson(store, runKeys('flat').curriculum(1), CurriculumStateSchema)).skipped).toBe('curriculum is off for this run');
  });

  it('values tasks by embedding clusters for PPO-style grouping', async () => {
    const store = new FileStore(await tempDir());
    await runDreamGym({ ...input, iterations: 1, runId: 'ppo', curriculum: { grouping: 'ppo', clusters: 3 } }, storeOnlyDeps(store));
    const state = await getJson(store, runKeys('ppo').curriculum(1), CurriculumStateSchema);
    const values = new Set(state.top.map((t) => t.value));
    expect(values.size).toBeLessThanOrEqual(3);
    expect(state.pool.length).toBeGreaterThan(0);
  });
});
