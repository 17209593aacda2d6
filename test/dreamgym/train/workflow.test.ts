import { describe, expect, it } from 'vitest';
import { storeOnlyDeps } from '../../../core/dreamgym/train/deps.ts';
import { readPolicy } from '../../../core/dreamgym/train/policy-store.ts';
import { runDreamGym } from '../../../core/dreamgym/train/run-dreamgym.ts';
import { runKeys } from '../../../core/dreamgym/train/run-keys.ts';
import { BatchStatsSchema } from '../../../core/dreamgym/train/steps/aggregate.ts';
import { DreamGymSummarySchema } from '../../../core/dreamgym/train/steps/summarize.ts';
import { readCommittedTrajectories } from '../../../core/dreamgym/rollout/group-store.ts';
import { readManifest } from '../../../core/store/batch.ts';
import { testRuntime } from '../../helpers/runtime.ts';
import { registerOracle, runTrainWorkflow } from './helpers.ts';

registerOracle('oracle-workflow');
registerOracle('oracle-refusing', { failTasks: new Set(['shop-task-000001']) });
registerOracle('oracle-down', { failTasks: new Set(['shop-task-000000', 'shop-task-000001', 'shop-task-000002']) });

const tiny = {
  mode: 'synthetic',
  iterations: 2,
  groupsPerIteration: 3,
  rolloutsPerGroup: 4,
  maxConcurrency: 2,
  tasks: { trainCount: 3, evalCount: 8 },
  experienceModel: { kind: 'oracle-workflow' },
} as const;

describe('dreamgym-train workflow on the local engine', () => {
  it('runs two tiny synthetic iterations end to end and summarises them', async () => {
    // Prepare
    const runtime = await testRuntime();
    // Act
    const output = await runTrainWorkflow(runtime, { ...tiny, runId: 'wf-tiny' });
    // Assess
    const summary = DreamGymSummarySchema.parse(output);
    expect(summary).toMatchObject({ mode: 'synthetic', iterations: 2, syntheticRollouts: 24, realInteractions: 0, failedGroups: 0, trainer: 'builtin' });
    expect(summary.curve.map(([i]) => i)).toEqual([0, 1, 2]);
    expect(summary.realSuccessBefore).toBe(summary.curve[0][1]);
    expect(summary.realSuccessAfter).toBe(summary.curve[2][1]);
    expect(summary.evaluationInteractions).toBeGreaterThan(0);
    const policy = await readPolicy(runtime.store, 'wf-tiny', 2);
    expect(policy).toMatchObject({ iteration: 2, trained: true, policy: { kind: 'builtin', version: 2 } });
    const batch = await readCommittedTrajectories(runtime.store, runKeys('wf-tiny').batch(2));
    expect(batch).toHaveLength(12);
    expect(batch.every((t) => t.advantage !== undefined && t.metadata.source === 'synthetic')).toBe(true);
  });

  it("runs S2R's budgeted real phase, an iteration with no group left in the budget included", async () => {
    // Prepare: one group costs at most 4 × (1 + 15) = 64 interactions, so a budget of 70 covers one group in all
    const runtime = await testRuntime();
    // Act
    const output = await runTrainWorkflow(runtime, {
      ...tiny, mode: 's2r', iterations: 3, runId: 'wf-s2r', s2r: { realIterations: 2, realBudget: 70 },
    });
    // Assess
    const summary = DreamGymSummarySchema.parse(output);
    const stats = await Promise.all([2, 3].map(async (i) => BatchStatsSchema.parse((await readManifest(runtime.store, runKeys('wf-s2r').batch(i)))!.meta)));
    expect(stats.map((s) => [s.source, s.groups])).toEqual([['real', 1], ['real', 0]]);
    expect(summary).toMatchObject({ mode: 's2r', realBudget: 70, failedGroups: 0, realInteractions: stats[0].realInteractions });
    expect(summary.realInteractions).toBeGreaterThan(0);
    expect(summary.realInteractions).toBeLessThanOrEqual(70);
    expect(summary.curve.map(([i]) => i)).toEqual([0, 1, 2, 3]);
  });

  it('gives the same summary as the in-process driver for the same input', async () => {
    // Prepare
    const runtime = await testRuntime();
    // Act
    const viaWorkflow = DreamGymSummarySchema.parse(await runTrainWorkflow(runtime, { ...tiny, runId: 'same-a' }));
    const inProcess = await runDreamGym({ ...tiny, runId: 'same-b' }, storeOnlyDeps(runtime.store));
    // Assess
    expect({ ...inProcess, runId: 'x' }).toEqual({ ...viaWorkflow, runId: 'x' });
  });

  it('records a group that keeps failing and trains on the others only', async () => {
    // Prepare: every episode of task 1 makes the experience model throw; 3 tasks, so it is in every iteration
    const runtime = await testRuntime();
    // Act
    const summary = DreamGymSummarySchema.parse(await runTrainWorkflow(runtime, { ...tiny, runId: 'wf-failing', experienceModel: { kind: 'oracle-refusing' } }));
    // Assess
    expect(summary.failedGroups).toBe(2);
    expect(summary.syntheticRollouts).toBe(16);
    const stats = BatchStatsSchema.parse((await readManifest(runtime.store, runKeys('wf-failing').batch(1)))!.meta);
    expect(stats).toMatchObject({ groups: 2, failedGroups: 1, trajectories: 8 });
    expect(stats.outcomes).toContainEqual({ groupIndex: expect.any(Number), failed: expect.stringMatching(/^GroupFailedError: .*4 of 4 rollouts failed/) });
    const trained = await readCommittedTrajectories(runtime.store, runKeys('wf-failing').batch(1));
    expect(trained.some((t) => t.metadata.taskId === 'shop-task-000001')).toBe(false);
    expect(await readPolicy(runtime.store, 'wf-failing', 2)).toMatchObject({ trained: true });
  });

  it('stops the run when every group of an iteration fails, rather than training on nothing', async () => {
    const runtime = await testRuntime();
    const run = runTrainWorkflow(runtime, { ...tiny, runId: 'wf-down', experienceModel: { kind: 'oracle-down' } });
    await expect(run).rejects.toThrow(/every group of iteration 1 of run wf-down failed/);
  });
});
