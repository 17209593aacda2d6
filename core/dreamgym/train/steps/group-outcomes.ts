import { getJsonIfExists, putJson } from '../../../store/json.ts';
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
