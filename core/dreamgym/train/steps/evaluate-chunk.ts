import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { InvalidInputError } from '../../../errors.ts';
import { recordLlmUsage } from '../../../llm/usage-records.ts';
import { hashSeed } from '../../../random.ts';
import { getJson, getJsonIfExists, putJson } from '../../../store/json.ts';
import type { Store } from '../../../store/store.ts';
import { realSessions } from '../../rollout/real-session.ts';
import { createRollout } from '../../rollout/rollout.ts';
import type { TrainDeps } from '../deps.ts';
import { openPolicy, readPolicy } from '../policy-store.ts';
import { environmentBoundary, evaluationTasks } from '../run-environment.ts';
import { readRun } from '../run-record.ts';
import { runKeys } from '../run-keys.ts';
import { writeOnce } from '../write-once.ts';
import { versionOf } from './train-policy.ts';

/** An evaluation is split into at most this many chunks: the Map's item list stays a few KB in the state. */
export const MAX_EVALUATION_CHUNKS = 1000;

/**
 * How `tasks` held-out tasks are cut into chunks of about `chunkSize` (larger when that would make more than
 * MAX_EVALUATION_CHUNKS). Chunk `c` holds tasks [c·size, min((c+1)·size, tasks)).
 */
export function evaluationChunks(tasks: number, chunkSize: number): { size: number; count: number } {
  const size = Math.max(1, chunkSize, Math.ceil(tasks / MAX_EVALUATION_CHUNKS));
  return { size, count: Math.ceil(tasks / size) };
}

export const EvaluationChunkSchema = z.object({
  iteration: z.number().int().nonnegative(),
  chunk: z.number().int().nonnegative(),
  /** Index of the chunk's first task in the run's held-out task list. */
  first: z.number().int().nonnegative(),
  policyVersion: z.string(),
  /** Reward of each of the chunk's tasks, in task order. */
  rewards: z.array(z.number()),
  /** Real accesses the chunk's episodes made (its own counting boundary's total). */
  interactions: z.number().int().nonnegative(),
});
export type EvaluationChunk = z.infer<typeof EvaluationChunkSchema>;

/** The real accesses of a chunk attempt that failed before writing its chunk (they happened all the same). */
export const FailedEvaluationAttemptSchema = z.object({
  chunk: z.number().int().nonnegative(),
  interactions: z.number().int().positive(),
  byOperation: z.record(z.string(), z.number().int().nonnegative()),
  error: z.string(),
});
export type FailedEvaluationAttempt = z.infer<typeof FailedEvaluationAttemptSchema>;

/** The failed chunk attempts of an iteration's evaluation, any chunk, whether or not a later attempt wrote it. */
export async function readFailedEvaluationAttempts(store: Store, runId: string, iteration: number): Promise<FailedEvaluationAttempt[]> {
  const out: FailedEvaluationAttempt[] = [];
  for await (const object of store.list(`${runKeys(runId).failedEvaluationAttempts(iteration)}/`)) {
    out.push(await getJson(store, object.key, FailedEvaluationAttemptSchema));
  }
  return out.sort((a, b) => a.chunk - b.chunk);
}

/**
 * One chunk of the held-out evaluation after iteration `iteration`: one greedy episode per task with a seed fixed
 * per task (so the chunking never changes an episode), `evaluation.concurrency` at a time, behind a fresh counting
 * boundary. Written once under the iteration's evaluation; a retry after the write returns what was written. Its
 * LLM calls (an LLM policy's) are recorded per attempt under the iteration's `llm/evaluate-chunk-<chunk>`.
 *
 * @example
 * await evaluateChunkStep({ runId, iteration: 3, chunk: 0 }, deps); // evaluations/000003/chunk-000000.json
 */
export function evaluateChunkStep(input: { runId: string; iteration: number; chunk: number }, deps: TrainDeps): Promise<EvaluationChunk> {
  const prefix = runKeys(input.runId).llm(input.iteration, `evaluate-chunk-${String(input.chunk).padStart(6, '0')}`);
  return recordLlmUsage(deps.store, prefix, () => evaluateChunk(input, deps));
}

async function evaluateChunk(input: { runId: string; iteration: number; chunk: number }, deps: TrainDeps): Promise<EvaluationChunk> {
  const { runId, iteration, chunk } = input;
  const key = runKeys(runId).evaluationChunk(iteration, chunk);
  const existing = await getJsonIfExists(deps.store, key, EvaluationChunkSchema);
  if (existing) return existing;
  const run = await readRun(deps.store, runId);
  const all = await evaluationTasks(runId, deps);
  const { size, count } = evaluationChunks(all.length, run.input.evaluation.chunkSize);
  if (chunk >= count) throw new InvalidInputError(`evaluation chunk ${chunk} does not exist: ${all.length} held-out tasks make ${count} chunks of ${size}`);
  const first = chunk * size;
  const tasks = all.slice(first, first + size);
  const stored = await readPolicy(deps.store, runId, iteration);
  const policy = openPolicy(stored, run.input, deps, 'evaluation');
  const boundary = await environmentBoundary(run.input, deps, 'evaluation');
  const sessions = realSessions(boundary.env);
  const rewards: number[] = new Array(tasks.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  // On a failure the workers take no further task and the episodes in flight end, so the boundary's counts are final
  const worker = async () => {
    while (!failure && next < tasks.length) {
      const index = next++;
      const task = tasks[index];
      const rollout = createRollout(sessions, { id: `${runId}/eval/${iteration}/${task.id}`, seed: hashSeed(`eval:${run.input.seed}:${task.id}`) });
      try {
        rewards[index] = (await rollout(policy, task)).reward;
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(run.input.evaluation.concurrency, tasks.length) }, worker));
  if (failure) {
    // The attempt's real accesses happened although no chunk is written: recorded for the finishing step
    const { error } = failure;
    const counts = boundary.counts();
    if (counts.total > 0) {
      await putJson(deps.store, runKeys(runId).failedEvaluationAttempt(iteration, chunk, randomUUID()), FailedEvaluationAttemptSchema.parse({
        chunk, interactions: counts.total, byOperation: { ...counts.byOperation },
        error: `${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? String(error)}`.slice(0, 500),
      }));
    }
    throw error;
  }
  return writeOnce(deps.store, key, {
    iteration, chunk, first, policyVersion: versionOf(stored), rewards, interactions: boundary.counts().total,
  }, EvaluationChunkSchema);
}
