import { recordLlmUsage } from '../../llm/usage-records.ts';
import { z } from 'zod';
import { ConflictError, InvalidInputError } from '../../errors.ts';
import type { ChatModel } from '../../llm/chat-model.ts';
import { Semaphore } from '../../llm/semaphore.ts';
import { commitBatch, readManifest, type Manifest } from '../../store/batch.ts';
import { toJsonl } from '../../store/json.ts';
import type { Store } from '../../store/store.ts';
import type { TransitionRetriever } from '../experience/experience-model.ts';
import { rulesForEnvironment } from '../experience/llm/environment-rules.ts';
import type { AnnotationJob, ChunkDescriptor } from './annotate-input.ts';
import { annotateTransition, type SkippedTransition, type TransitionAnnotation } from './annotate-transition.ts';
import { addAnswerUsage, ChunkUsageSchema, emptyChunkUsage } from './chunk-usage.ts';
import { readOfflinePart } from '../offline/dataset-store.ts';
import { SFT_RECORDS_FILE, SFT_SKIPPED_FILE, sftChunkPrefix, sftLlmPrefix } from './sft-keys.ts';
import type { ExperienceSftRecord } from './sft-record.ts';

/** What a chunk's manifest says about it (its `meta`). */
export const ChunkMetaSchema = z.object({
  chunk: z.number().int(),
  transitions: z.number().int(),
  records: z.number().int(),
  skipped: z.number().int(),
  teacherModel: z.string(),
  usage: ChunkUsageSchema,
});

export interface ChunkResult {
  chunk: number;
  records: number;
  skipped: number;
  /** True when the chunk was already committed and the teacher was not called. */
  reused: boolean;
}

/**
 * Annotates one chunk's transitions with the teacher and commits them as one batch (records.jsonl + skipped.json,
 * manifest last) under a key fixed by the chunk's index. An already-committed chunk is returned as it is without
 * calling the teacher, so re-running rewrites nothing. Answers that fail the schema are listed in skipped.json; an
 * unavailable endpoint throws before anything is written, and the workflow retries the chunk.
 *
 * @example
 * const result = await annotateChunk(store, runtime.chat('teacher')!, job, chunks[3]);
 * // { chunk: 3, records: 31, skipped: 1, reused: false }
 */
export function annotateChunk(
  store: Store,
  teacher: ChatModel,
  job: AnnotationJob,
  chunk: ChunkDescriptor,
  options: { retriever?: TransitionRetriever; k?: number } = {},
): Promise<ChunkResult> {
  return recordLlmUsage(store, sftLlmPrefix(job.output, chunk.index), () => annotateOneChunk(store, teacher, job, chunk, options));
}

async function annotateOneChunk(
  store: Store,
  teacher: ChatModel,
  job: AnnotationJob,
  chunk: ChunkDescriptor,
  options: { retriever?: TransitionRetriever; k?: number },
): Promise<ChunkResult> {
  const prefix = sftChunkPrefix(job.output, chunk.index);
  const existing = await readManifest(store, prefix);
  if (existing) return resultOf(existing, true);
  if (teacher.model !== job.teacherModel) {
    throw new ConflictError(`SFT dataset "${job.output}" is annotated by teacher model "${job.teacherModel}", but the teacher is now "${teacher.model}"`);
  }
  const { records } = await readOfflinePart(store, job.dataset, chunk.part);
  if (chunk.end > records.length) {
    throw new InvalidInputError(`chunk ${chunk.index} reaches trajectory ${chunk.end} of ${chunk.part}, which has ${records.length}`);
  }
  const rules = rulesForEnvironment(job.env);
  const work = records.slice(chunk.start, chunk.end).flatMap((trajectory) => trajectory.steps.map((_, step) => ({ trajectory, step })));
  const settings = { ...options, maxHistorySteps: job.maxHistorySteps, temperature: job.temperature };
  const outcomes = await mapLimited(work, job.chunkConcurrency, ({ trajectory, step }) => annotateTransition(teacher, rules, trajectory, step, settings));
  const lines: ExperienceSftRecord[] = [];
  const skipped: SkippedTransition[] = [];
  const usage = emptyChunkUsage();
  for (const outcome of outcomes) {
    if (!outcome.ok) skipped.push(outcome.skipped);
    else {
      lines.push(outcome.record);
      addAnswerUsage(usage, outcome.usage, outcome.repairs);
    }
  }
  const meta: z.infer<typeof ChunkMetaSchema> = {
    chunk: chunk.index, transitions: work.length, records: lines.length, skipped: skipped.length, teacherModel: teacher.model, usage,
  };
  const manifest = await commitBatch(store, prefix, [
    { name: SFT_RECORDS_FILE, body: toJsonl(lines) },
    { name: SFT_SKIPPED_FILE, body: `${JSON.stringify(skipped, null, 2)}\n` },
  ], meta);
  // When a concurrent run committed first, commitBatch returns its manifest: its counts are what the store holds.
  return resultOf(manifest, false);
}

function resultOf(manifest: Manifest, reused: boolean): ChunkResult {
  const meta = ChunkMetaSchema.parse(manifest.meta);
  return { chunk: meta.chunk, records: meta.records, skipped: meta.skipped, reused };
}

/** Runs `task` over `items` with at most `limit` in flight, in input order; after a failure, starts no more and rethrows it. */
async function mapLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<TransitionAnnotation>): Promise<TransitionAnnotation[]> {
  const gate = new Semaphore(limit);
  let failure: { error: unknown } | undefined;
  const settled = await Promise.allSettled(items.map((item) => gate.run(async () => {
    if (failure) throw failure.error;
    try {
      return await task(item);
    } catch (error) {
      failure ??= { error };
      throw error;
    }
  })));
  if (failure) throw failure.error;
  return settled.map((s) => (s as PromiseFulfilledResult<TransitionAnnotation>).value);
}
