import { z } from 'zod';
import { ConflictError } from '../../../errors.ts';
import { commitBatch, readManifest } from '../../../store/batch.ts';
import { getJson, toJsonl } from '../../../store/json.ts';
import { readCommittedTrajectories, TRAJECTORIES_FILE } from '../../rollout/group-store.ts';
import type { Trajectory } from '../../rollout/trajectory.ts';
import type { TrainDeps } from '../deps.ts';
import { IterationFailedError } from '../errors.ts';
import { readPolicy } from '../policy-store.ts';
import { runKeys } from '../run-keys.ts';
import { readFailedAttempts, readGroupOutcomes } from './group-outcomes.ts';
import type { GroupFailure, GroupResult } from './rollout-group.ts';
import { IterationTasksSchema } from './sample.ts';
import { trainerBatchFile } from './trainer-batch.ts';
import type { TrainerRequest } from './trainer-messages.ts';

export const BatchStatsSchema = z.object({
  iteration: z.number().int().min(1),
  source: z.enum(['synthetic', 'real']),
  groups: z.number().int().nonnegative(),
  failedGroups: z.number().int().nonnegative(),
  trajectories: z.number().int().nonnegative(),
  meanReward: z.number(),
  successRate: z.number(),
  /** Synthetic rollouts in the batch (0 for a real iteration). */
  syntheticRollouts: z.number().int().nonnegative(),
  /**
   * Real accesses the iteration's groups made, summed from their counting boundaries: the committed attempts' plus
   * `failedAttemptInteractions`.
   */
  realInteractions: z.number().int().nonnegative(),
  /** Real accesses of group attempts that failed before committing (retried, or recorded as failed groups). */
  failedAttemptInteractions: z.number().int().nonnegative().default(0),
  syntheticSteps: z.number().int().nonnegative(),
  /** Per group: task and rewards (the curriculum's input), or why it failed. */
  outcomes: z.array(z.union([
    z.object({ groupIndex: z.number(), taskId: z.string(), rewards: z.array(z.number()) }),
    z.object({ groupIndex: z.number(), failed: z.string() }),
  ])),
});
export type BatchStats = z.infer<typeof BatchStatsSchema>;

export interface BatchHandle {
  readonly iteration: number;
  readonly batch: string;
  readonly trajectories: number;
  readonly failedGroups: number;
  readonly meanReward: number;
  readonly successRate: number;
  /** The message an external trainer gets (used only on the external-trainer path). */
  readonly handoff: TrainerRequest | null;
}

/**
 * Builds the iteration's training batch from the groups that completed, read from the store (the Map keeps no
 * results in the state): their trajectories (with GRPO advantages),
 * concatenated into one committed batch, and the stats. Failed groups are recorded and left out; when every group
 * failed, `IterationFailedError` stops the run. The batch is create-only: aggregating a re-run iteration again
 * returns the first batch, so no trajectory is ever in it twice.
 *
 * @example
 * const batch = await aggregateIteration({ runId, iteration: 1 }, deps);
 */
export async function aggregateIteration(
  input: { runId: string; iteration: number },
  deps: TrainDeps,
): Promise<BatchHandle> {
  const { runId, iteration } = input;
  const keys = runKeys(runId);
  const prefix = keys.batch(iteration);
  const existing = await readManifest(deps.store, prefix);
  const stats = existing ? BatchStatsSchema.parse(existing.meta) : await buildBatch(input, deps, prefix);
  return {
    iteration,
    batch: prefix,
    trajectories: stats.trajectories,
    failedGroups: stats.failedGroups,
    meanReward: stats.meanReward,
    successRate: stats.successRate,
    handoff: await handoffRequest(runId, iteration, prefix, stats.trajectories, deps),
  };
}

async function buildBatch(
  input: { runId: string; iteration: number },
  deps: TrainDeps,
  prefix: string,
): Promise<BatchStats> {
  const plan = await getJson(deps.store, runKeys(input.runId).tasks(input.iteration), IterationTasksSchema);
  const outcomes = await readGroupOutcomes(deps.store, input.runId, input.iteration, plan.tasks.length);
  const ok = outcomes.filter((r): r is GroupResult => r.status === 'ok');
  const failed = outcomes.filter((r): r is GroupFailure => r.status === 'failed');
  // An iteration with no groups planned (S2R's real budget spent) has an empty batch; one whose groups all failed stops
  if (ok.length === 0 && plan.tasks.length > 0) throw new IterationFailedError(input.runId, input.iteration, failed.map((f) => `${f.error}: ${f.cause ?? ''}`));
  const trajectories: Trajectory[] = [];
  const seen = new Set<string>();
  for (const group of ok) {
    for (const trajectory of await readCommittedTrajectories(deps.store, group.prefix)) {
      if (seen.has(trajectory.id)) throw new ConflictError(`trajectory ${trajectory.id} appears twice in iteration ${input.iteration}`);
      seen.add(trajectory.id);
      trajectories.push(trajectory);
    }
  }
  const synthetic = plan.source === 'synthetic';
  const failedAttemptInteractions = (await readFailedAttempts(deps.store, input.runId, input.iteration))
    .reduce((sum, a) => sum + a.realInteractions, 0);
  const steps = ok.reduce((sum, g) => sum + g.steps, 0);
  const stats: BatchStats = {
    iteration: input.iteration,
    source: plan.source,
    groups: ok.length,
    failedGroups: failed.length,
    trajectories: trajectories.length,
    meanReward: mean(trajectories.map((t) => t.reward)),
    successRate: mean(trajectories.map((t) => (t.metrics.success ? 1 : 0))),
    syntheticRollouts: synthetic ? trajectories.length : 0,
    realInteractions: ok.reduce((sum, g) => sum + g.realInteractions, 0) + failedAttemptInteractions,
    failedAttemptInteractions,
    syntheticSteps: synthetic ? steps : 0,
    outcomes: [
      ...ok.map((g) => ({ groupIndex: g.groupIndex, taskId: g.taskId, rewards: g.rewards })),
      ...failed.map((f) => ({ groupIndex: f.groupIndex, failed: `${f.error}: ${f.cause ?? ''}`.slice(0, 300) })),
    ],
  };
  const manifest = await commitBatch(deps.store, prefix, [{ name: TRAJECTORIES_FILE, body: toJsonl(trajectories) }], stats);
  return BatchStatsSchema.parse(manifest.meta);
}

async function handoffRequest(runId: string, iteration: number, batch: string, count: number, deps: TrainDeps): Promise<TrainerRequest | null> {
  const previous = await readPolicy(deps.store, runId, iteration - 1);
  if (previous.policy.kind !== 'llm') return null;
  return {
    runId, iteration, store: deps.store.uri, batch, trajectories: `${batch}/${TRAJECTORIES_FILE}`,
    trajectoryCount: count, ...(await trainerBatchFile(runId, iteration, batch, deps)),
    policy: previous.policy, replyKey: runKeys(runId).trainerReply(iteration),
  };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
