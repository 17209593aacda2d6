import { recordLlmUsage } from '../llm/usage-records.ts';
import { z } from 'zod';
import { describeError } from '../errors.ts';
import type { ChatModel } from '../llm/chat-model.ts';
import { Semaphore } from '../llm/semaphore.ts';
import { commitBatch, readManifest } from '../store/batch.ts';
import { toJsonl } from '../store/json.ts';
import type { Store } from '../store/store.ts';
import type { EnvironmentFactory } from '../env/environment.ts';
import { ReplayDivergenceError } from '../env/errors.ts';
import { branchEnvironment } from './branch-environment.ts';
import { shortfall } from './branch-record.ts';
import type { BranchRecord } from './branch-record.ts';
import { branchTrajectory } from './branch-trajectory.ts';
import { RoleNotConfiguredError } from './errors.ts';
import { readOfflinePart } from '../dreamgym/offline/dataset-store.ts';
import { isExpertDemonstration } from './expert-demos.ts';
import type { BranchChunk, EarlyJob } from './input.ts';
import { BRANCHES_FILE, branchBatch, llmPrefix } from './keys.ts';

export const DivergenceSchema = z.object({
  trajectoryId: z.string(), taskId: z.string(), step: z.number().int(), message: z.string(),
});
export type Divergence = z.infer<typeof DivergenceSchema>;

/** What a branch batch's manifest says about its chunk (its `meta`). */
export const BranchChunkMetaSchema = z.object({
  chunk: z.number().int(),
  trajectories: z.number().int(),
  expertStates: z.number().int(),
  alternatives: z.number().int(),
  /** Expert states that had fewer than K distinct non-expert actions, and the alternatives that were missing. */
  statesShortOfK: z.number().int(),
  missingAlternatives: z.number().int(),
  /** Trajectories that no longer replay, skipped. */
  diverged: z.array(DivergenceSchema),
});
export type BranchChunkMeta = z.infer<typeof BranchChunkMetaSchema>;

export interface BranchChunkResult extends BranchChunkMeta {
  /** True when the chunk was already committed and the environment was not touched. */
  reused: boolean;
}

/**
 * Branches every expert trajectory of one chunk in the real environment (see `branchTrajectory`) and commits the
 * records as one batch under a key fixed by the run and chunk index. A committed chunk comes back as it is, so a
 * re-run rewrites nothing. A trajectory that no longer replays is reported with its id and skipped; an environment
 * or LLM that stays unavailable throws before anything is written, and the workflow retries the chunk.
 *
 * @example
 * const result = await branchChunk(store, job, plan.chunks[0], { policy: runtime.chat('policy') });
 * // { chunk: 0, expertStates: 17, alternatives: 55, statesShortOfK: 4, diverged: [], reused: false, … }
 */
export function branchChunk(
  store: Store,
  job: EarlyJob,
  chunk: BranchChunk,
  options: { env?: EnvironmentFactory; policy?: ChatModel } = {},
): Promise<BranchChunkResult> {
  const step = `branch-${String(chunk.index).padStart(5, '0')}`;
  return recordLlmUsage(store, llmPrefix(job.runId, step), () => branchOneChunk(store, job, chunk, options));
}

async function branchOneChunk(
  store: Store,
  job: EarlyJob,
  chunk: BranchChunk,
  options: { env?: EnvironmentFactory; policy?: ChatModel },
): Promise<BranchChunkResult> {
  const batch = branchBatch(job.runId, chunk.index);
  const committed = await readManifest(store, batch);
  if (committed) return { ...BranchChunkMetaSchema.parse(committed.meta), reused: true };
  if (job.policyModel && !options.policy) throw new RoleNotConfiguredError('policy', `run ${job.runId} (planned with policy alternatives)`);
  const parsed = await readOfflinePart(store, job.dataset, chunk.part);
  const demos = parsed.records.slice(chunk.start, chunk.end).filter(isExpertDemonstration);
  const sampling = job.policyModel && options.policy
    ? { policy: options.policy, temperatures: job.temperatures, gate: new Semaphore(job.llmConcurrency) }
    : undefined;
  const env = options.env ?? branchEnvironment(job.env, job.shopSeed);
  const [walker, brancher] = [await env.open(), await env.open()];
  const records: BranchRecord[] = [];
  const diverged: Divergence[] = [];
  try {
    for (const demo of demos) {
      try {
        records.push(...(await branchTrajectory(walker, demo, { k: job.k, seed: job.seed, sampling, brancher })));
      } catch (error) {
        if (!(error instanceof ReplayDivergenceError)) throw error;
        diverged.push({ trajectoryId: demo.id, taskId: demo.task.id, step: error.step, message: describeError(error) });
      }
    }
  } finally {
    await Promise.all([walker.close().catch(() => {}), brancher.close().catch(() => {})]);
  }
  const meta: BranchChunkMeta = {
    chunk: chunk.index,
    trajectories: demos.length - diverged.length,
    expertStates: records.length,
    alternatives: records.reduce((n, r) => n + r.alternatives.length, 0),
    statesShortOfK: records.filter((r) => shortfall(r) > 0).length,
    missingAlternatives: records.reduce((n, r) => n + shortfall(r), 0),
    diverged,
  };
  const manifest = await commitBatch(store, batch, [{ name: BRANCHES_FILE, body: toJsonl(records) }], meta);
  return { ...BranchChunkMetaSchema.parse(manifest.meta), reused: false };
}
