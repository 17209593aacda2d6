import { describe, expect, it } from 'vitest';
import { storeOnlyDeps } from '../../../core/dreamgym/train/deps.ts';
import { runDreamGym } from '../../../core/dreamgym/train/run-dreamgym.ts';
import { runKeys } from '../../../core/dreamgym/train/run-keys.ts';
import { BatchStatsSchema } from '../../../core/dreamgym/train/steps/aggregate.ts';
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
    expect(summary.notes.join('\n')).toMatch(/real budget \(6 real interactions.*ran no group; raise s2r.realBudget/);
  });
});
