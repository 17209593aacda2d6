import { describe, expect, it } from 'vitest';
import { storeOnlyDeps } from '../../../core/dreamgym/train/deps.ts';
import { runDreamGym } from '../../../core/dreamgym/train/run-dreamgym.ts';
import { runKeys } from '../../../core/dreamgym/train/run-keys.ts';
import { BatchStatsSchema } from '../../../core/dreamgym/train/steps/aggregate.ts';
import { IterationTasksSchema } from '../../../core/dreamgym/train/steps/sample.ts';
import { getJson } from '../../../core/store/json.ts';
import { readManifest } from '../../../core/store/batch.ts';
import { FileStore } from '../../../core/store/file-store.ts';
import { tempDir } from '../../helpers/runtime.ts';
import { registerOracle } from './helpers.ts';

registerOracle('oracle-modes');

async function freshDeps() {
  return storeOnlyDeps(new FileStore(await tempDir()));
}

describe('training modes', () => {
  it('real-environment GRPO raises success on held-out real tasks', async () => {
    // Act
    const summary = await runDreamGym({ mode: 'real', iterations: 8, groupsPerIteration: 16, rolloutsPerGroup: 8, runId: 'real-grpo' }, await freshDeps());
    // Assess
    expect(summary.realSuccessAfter! - summary.realSuccessBefore!).toBeGreaterThan(0.2);
    expect(summary.syntheticRollouts).toBe(0);
    expect(summary.realInteractions).toBeGreaterThan(8 * 16 * 8);
    expect(summary.curve).toHaveLength(9);
  });

  it('counts no real interaction in a synthetic run, whatever its evaluations cost', async () => {
    const summary = await runDreamGym(
      { mode: 'synthetic', iterations: 2, groupsPerIteration: 4, rolloutsPerGroup: 4, tasks: { evalCount: 10 }, experienceModel: { kind: 'oracle-modes' } },
      await freshDeps(),
    );
    expect(summary).toMatchObject({ realInteractions: 0, syntheticRollouts: 32 });
    expect(summary.evaluationInteractions).toBeGreaterThan(0);
    expect(summary.syntheticSteps).toBeGreaterThanOrEqual(32);
  });

  it('runs S2R synthetic first and counts real interactions of its real iterations only', async () => {
    // Prepare
    const deps = await freshDeps();
    // Act
    const summary = await runDreamGym({
      mode: 's2r', iterations: 3, groupsPerIteration: 4, rolloutsPerGroup: 4, runId: 's2r',
      s2r: { realIterations: 1, realGroups: 2, realBudget: 200 }, tasks: { evalCount: 10 }, experienceModel: { kind: 'oracle-modes' },
    }, deps);
    // Assess
    const stats = await Promise.all([1, 2, 3].map(async (i) =>
      BatchStatsSchema.parse((await readManifest(deps.store, runKeys('s2r').batch(i)))!.meta)));
    expect(stats.map((s) => [s.source, s.groups])).toEqual([['synthetic', 4], ['synthetic', 4], ['real', 2]]);
    expect(summary.syntheticRollouts).toBe(32);
    expect(summary.realInteractions).toBe(stats[2].realInteractions);
    expect(summary.realInteractions).toBeGreaterThanOrEqual(8);
    expect(summary.realInteractions).toBeLessThanOrEqual(200);
  });

  it("runs no real group when S2R's default budget does not cover one in the worst case", async () => {
    // Prepare: the default budget, 10% of 2 × 2 × 4 × 4, is 6 interactions; a group may need 4 × 16
    const deps = await freshDeps();
    // Act
    const summary = await runDreamGym({
      mode: 's2r', iterations: 3, groupsPerIteration: 4, rolloutsPerGroup: 4, runId: 's2r-small',
      s2r: { realIterations: 1 }, tasks: { evalCount: 10 }, experienceModel: { kind: 'oracle-modes' },
    }, deps);
    // Assess
    const real = BatchStatsSchema.parse((await readManifest(deps.store, runKeys('s2r-small').batch(3)))!.meta);
    expect(real).toMatchObject({ source: 'real', groups: 0, trajectories: 0, realInteractions: 0 });
    expect(summary).toMatchObject({ realInteractions: 0, realBudget: 6, syntheticRollouts: 32 });
    expect(summary.notes.join('\n')).toMatch(/real budget \(6 real interactions.*ran no group; one group would be more than 10% of the estimated real-env reference \(\d+, from the synthetic phase's measured episode lengths\); raise s2r.realBudget/);
  });

  it("gives S2R's default budget one group when 10% of the least real-env spend covers none but one group is within 10% of the measured reference", async () => {
    // Prepare: 10% of the least (2 × 2 × 16 × 2) is 12 interactions, one group's worst case 2 × 16 = 32; the synthetic
    // phase's 64 episodes, replayed at real cost (a reset and each step), are the reference one group is judged against
    const deps = await freshDeps();
    // Act
    const summary = await runDreamGym({
      mode: 's2r', iterations: 3, groupsPerIteration: 16, rolloutsPerGroup: 2, runId: 's2r-one-group',
      s2r: { realIterations: 1 }, tasks: { evalCount: 10 }, evaluation: { every: 10 }, experienceModel: { kind: 'oracle-modes' },
    }, deps);
    // Assess
    const stats = await Promise.all([1, 2, 3].map(async (i) =>
      BatchStatsSchema.parse((await readManifest(deps.store, runKeys('s2r-one-group').batch(i)))!.meta)));
    const reference = stats[0].syntheticRollouts + stats[0].syntheticSteps + stats[1].syntheticRollouts + stats[1].syntheticSteps;
    const plan = await getJson(deps.store, runKeys('s2r-one-group').tasks(3), IterationTasksSchema);
    expect(reference).toBeGreaterThanOrEqual(320);
    expect(plan.realBudget).toMatchObject({ total: 32, basis: 'one-group', perGroup: 32, leastRealEnv: 128, estimatedRealEnv: reference, spentBefore: 0 });
    expect(stats[2]).toMatchObject({ source: 'real', groups: 1, trajectories: 2 });
    expect(summary.realBudget).toBe(32);
    expect(summary.realInteractions).toBe(stats[2].realInteractions);
    expect(summary.realInteractions).toBeLessThanOrEqual(32);
    expect(summary.notes.join('\n')).toMatch(new RegExp(`default real budget is one group's worst case \\(32 real interactions.*${(3200 / reference).toFixed(1)}% of the estimated real-env reference \\(${reference},`));
  });
});
