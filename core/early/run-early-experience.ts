import type { ChatModel } from '../llm/chat-model.ts';
import type { TextEmbedder } from '../llm/embeddings.ts';
import { Semaphore } from '../llm/semaphore.ts';
import type { Store } from '../store/store.ts';
import type { EnvironmentFactory } from '../env/environment.ts';
import { branchChunk } from './branch-chunk.ts';
import { buildChunkDatasets } from './chunk-datasets.ts';
import { commitEarlyDatasets } from './commit-datasets.ts';
import { EarlyExperienceInputSchema } from './input.ts';
import { planEarlyExperience } from './plan.ts';
import { enrichReplayBuffer, openReplayBufferFor } from './replay-enrichment.ts';
import type { EarlySummary } from './summary.ts';

export interface EarlyExperienceDeps {
  readonly store: Store;
  /** The policy LLM (alternatives by temperature sampling); without it alternatives are uniform. */
  readonly policy?: ChatModel;
  /** The teacher LLM (reflections, summaries); without it reflections come from the grounded template. */
  readonly teacher?: ChatModel;
  /** The embedder of a replay buffer made with a configured one. */
  readonly embedder?: TextEmbedder;
  /** The real environment, when not the one `input.env` names (benchmarks inject latency this way). */
  readonly env?: EnvironmentFactory;
  /** Called as chunks finish branching. */
  readonly onBranched?: (done: number, total: number) => void;
}

/**
 * The whole early-experience run in this process, the same steps the `early-experience` workflow runs as states:
 * plan → branch every chunk (`maxConcurrency` at once) → build each chunk's IWM and SR records → commit the datasets
 * → append the branch transitions to a replay buffer when asked. Deterministic keys throughout, so running it again
 * resumes what is missing and duplicates nothing.
 *
 * @example
 * const summary = await runEarlyExperience({ env: 'shop', k: 4 }, { store: runtime.store });
 * summary; // { expertStates: 434, alternatives: 1396, iwmRecords: 1830, srRecords: 434, datasets: { iwm: 'file://…', sr: 'file://…' }, … }
 */
export async function runEarlyExperience(rawInput: unknown, deps: EarlyExperienceDeps): Promise<EarlySummary> {
  const input = EarlyExperienceInputSchema.parse(rawInput ?? {});
  const { store } = deps;
  const plan = await planEarlyExperience(store, input, { policy: deps.policy, teacher: deps.teacher });
  const gate = new Semaphore(input.maxConcurrency);
  let branched = 0;
  await Promise.all(plan.chunks.map((chunk) => gate.run(async () => {
    await branchChunk(store, plan.job, chunk, { env: deps.env, policy: deps.policy });
    deps.onBranched?.(++branched, plan.chunks.length);
  })));
  await Promise.all(plan.chunks.map((chunk) => gate.run(() => buildChunkDatasets(store, plan.job, chunk, { teacher: deps.teacher }))));
  const summary = await commitEarlyDatasets(store, plan.job.runId);
  if (!plan.job.replayBuffer) return summary;
  const buffer = await openReplayBufferFor(store, plan.job.replayBuffer, deps.embedder);
  return enrichReplayBuffer(store, plan.job.runId, buffer);
}
