import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { getJson, getJsonIfExists, putJson } from '../../../store/json.ts';
import type { Store } from '../../../store/store.ts';
import { readGroupSummary } from '../../rollout/group-store.ts';
import { runKeys } from '../run-keys.ts';
import { GroupFailureSchema, type GroupFailure, type GroupOutcome } from './rollout-group.ts';

/**
 * Records a group that failed after its retries (the workflow's Catch, or the in-process driver), in the store: the
 * Map keeps no results in the state (10,000 groups would pass the 256 KB limit), so the aggregate step reads them here.
 */
export async function recordGroupFailure(store: Store, input: { runId: string; iteration: number; groupIndex: number; error: string; cause?: string }): Promise<void> {
  const failure: GroupFailure = { status: 'failed', groupIndex: input.groupIndex, error: input.error, cause: input.cause?.slice(0, 2000) };
  await putJson(store, runKeys(input.runId).groupFailure(input.iteration, input.groupIndex), failure);
}

export const FailedAttemptSchema = z.object({
  groupIndex: z.number().int().nonnegative(),
  /** Real accesses the attempt made before it failed, as its counting boundary measured them. */
  realInteractions: z.number().int().nonnegative(),
  byOperation: z.record(z.string(), z.number()),
  error: z.string(),
});
export type FailedAttempt = z.infer<typeof FailedAttemptSchema>;

/**
 * Records the real accesses of a group attempt that failed before committing (a retry will run the group again, and
 * what this attempt did in the real environment happened all the same), under a key of its own per attempt.
 */
export async function recordFailedAttempt(store: Store, input: { runId: string; iteration: number } & FailedAttempt): Promise<void> {
  const { runId, iteration, ...attempt } = input;
  await putJson(store, runKeys(runId).failedAttempt(iteration, attempt.groupIndex, randomUUID()), FailedAttemptSchema.parse(attempt));
}

/** The failed attempts an iteration's groups recorded (any group, whether or not a later attempt committed). */
export async function readFailedAttempts(store: Store, runId: string, iteration: number): Promise<FailedAttempt[]> {
  const out: FailedAttempt[] = [];
  for await (const object of store.list(`${runKeys(runId).failedAttempts(iteration)}/`)) {
    out.push(await getJson(store, object.key, FailedAttemptSchema));
  }
  return out.sort((a, b) => a.groupIndex - b.groupIndex);
}

const READ_CONCURRENCY = 32;

/**
 * The outcome of every planned group of an iteration, from the store: a committed group is a result (even if an
 * earlier attempt failed), otherwise the recorded failure, otherwise a group that never reported.
 */
export async function readGroupOutcomes(store: Store, runId: string, iteration: number, groups: number): Promise<GroupOutcome[]> {
  const keys = runKeys(runId);
  const outcomes: GroupOutcome[] = new Array(groups);
  let next = 0;
  const worker = async () => {
    while (next < groups) {
      const groupIndex = next++;
      const stored = await readGroupSummary(store, keys.group(iteration, groupIndex));
      if (stored) {
        outcomes[groupIndex] = {
          status: 'ok', groupIndex, taskId: stored.taskId, source: stored.source, prefix: stored.prefix,
          rewards: stored.rewards, steps: stored.steps, realInteractions: stored.realInteractions, failedRollouts: stored.failures,
        };
        continue;
      }
      const failure = await getJsonIfExists(store, keys.groupFailure(iteration, groupIndex), GroupFailureSchema);
      outcomes[groupIndex] = failure ?? { status: 'failed', groupIndex, error: 'NoResult', cause: 'the group neither committed nor recorded a failure' };
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, Math.max(1, groups)) }, worker));
  return outcomes;
}
