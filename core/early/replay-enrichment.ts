import type { TextEmbedder } from '../llm/embeddings.ts';
import { readLlmUsage, recordLlmUsage } from '../llm/usage-records.ts';
import { getJson, putJson } from '../store/json.ts';
import type { Store } from '../store/store.ts';
import { HashedTextEmbedder } from '../dreamgym/embed/hashed-embedder.ts';
import { readReplayBufferInfo } from '../dreamgym/replay/buffer-info.ts';
import { ReplayBuffer } from '../dreamgym/replay/replay-buffer.ts';
import { transitionId } from '../dreamgym/replay/stored-transition.ts';
import type { StoredTransition } from '../dreamgym/replay/stored-transition.ts';
import type { BranchRecord } from './branch-record.ts';
import { BranchRecordSchema } from './branch-record.ts';
import { BRANCHES_FILE, branchBatch, summaryKey, llmPrefix } from './keys.ts';
import { readEarlyPlan } from './plan.ts';
import { readBatchJsonl } from './read-batch-jsonl.ts';
import { EarlySummarySchema } from './summary.ts';
import type { EarlySummary } from './summary.ts';

/**
 * The replay buffer's view of one expert state's branches: one real transition (source `branch`) per alternative,
 * each its own one-step trajectory whose id names the run, the expert trajectory, the step and the alternative, so
 * two runs never collide. The expert transitions are not repeated: they are the offline demonstrations the buffer is
 * seeded with.
 *
 * @example
 * branchTransitions('run-1', branch)[0].id; // 'early-run-1/shop-expert-000000/1-0#1'
 */
export function branchTransitions(runId: string, branch: BranchRecord): StoredTransition[] {
  return branch.alternatives.map((alt, j) => {
    const trajectoryId = `early-${runId}/${branch.trajectoryId}/${branch.stepIndex}-${j}`;
    return {
      state: branch.state, action: alt.action, nextState: alt.nextState, reward: alt.reward, done: alt.done, valid: alt.valid,
      admissibleActions: branch.admissibleActions,
      id: transitionId(trajectoryId, branch.stepIndex), trajectoryId, taskId: branch.taskId, instruction: branch.instruction,
      stepIndex: branch.stepIndex, source: 'branch',
      ...(alt.done ? { episodeReward: alt.reward } : {}),
      ...(branch.goal === undefined ? {} : { goal: branch.goal }),
    };
  });
}

/**
 * Opens a replay buffer with the embedder that made it: the built-in hashed embedder at the buffer's dimension, or
 * the configured one (checked by the buffer). A new buffer gets the configured embedder, else the hashed one.
 */
export async function openReplayBufferFor(store: Store, bufferId: string, configured?: TextEmbedder): Promise<ReplayBuffer> {
  const info = await readReplayBufferInfo(store, bufferId);
  const hashed = new HashedTextEmbedder(info ? { dimension: info.embedder.dimension } : {});
  const embedder = info ? (info.embedder.name === hashed.name ? hashed : configured ?? hashed) : configured ?? hashed;
  return ReplayBuffer.open({ store, id: bufferId, embedder });
}

/**
 * Appends a finished run's branch transitions to a replay buffer, one shard per chunk (`branch-<runId>-<chunk>`), and
 * records it in the run's summary. Shards are create-only, so enriching twice appends nothing the second time.
 *
 * @example
 * const summary = await enrichReplayBuffer(store, runId, await openReplayBufferFor(store, 'shop-main'));
 * summary.replay; // { buffer: 'shop-main', appended: 1384, shards: 24 }
 */
export async function enrichReplayBuffer(store: Store, runId: string, buffer: ReplayBuffer): Promise<EarlySummary> {
  const plan = await readEarlyPlan(store, runId);
  const appended = await recordLlmUsage(store, llmPrefix(runId, 'replay'), async () => {
    let count = 0;
    for (const chunk of plan.chunks) {
      const { records } = await readBatchJsonl(store, branchBatch(runId, chunk.index), BRANCHES_FILE, BranchRecordSchema);
      const shardId = `branch-${runId}-${String(chunk.index).padStart(5, '0')}`;
      count += (await buffer.append(shardId, records.flatMap((branch) => branchTransitions(runId, branch)))).appended;
    }
    return count;
  });
  const summary = await getJson(store, summaryKey(runId), EarlySummarySchema);
  const enriched: EarlySummary = {
    ...summary, replay: { buffer: buffer.id, appended, shards: plan.chunks.length }, llm: await readLlmUsage(store, llmPrefix(runId)),
  };
  await putJson(store, summaryKey(runId), enriched);
  return enriched;
}
