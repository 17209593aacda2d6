import { LlmUsageSchema, type LlmUsage } from '../../llm/accounting.ts';
import { readLlmUsage } from '../../llm/usage-records.ts';
import { z } from 'zod';
import { readBatchObject, readManifest } from '../../store/batch.ts';
import { getJsonIfExists, putJson } from '../../store/json.ts';
import type { Store } from '../../store/store.ts';
import type { AnnotationJob } from './annotate-input.ts';
import { ChunkMetaSchema } from './annotate-chunk.ts';
import { SkippedTransitionSchema, type SkippedTransition } from './annotate-transition.ts';
import { addChunkUsage, ChunkUsageSchema, emptyChunkUsage } from './chunk-usage.ts';
import { readAnnotationPlan, AnnotationPlanSchema } from './plan.ts';
import { SFT_RECORDS_FILE, SFT_SKIPPED_FILE, sftChunkFailureKey, sftChunkPrefix, sftDescriptorKey, sftLlmPrefix } from './sft-keys.ts';

const FailedChunkSchema = z.object({ chunk: z.number().int(), error: z.string(), cause: z.string() });

/**
 * Records a chunk that failed after its retries (the workflow's Catch): the Map keeps no results in the state, so
 * finalising reads failures from the store.
 */
export async function recordChunkFailure(store: Store, input: { output: string; chunk: number; error: string; cause?: string }): Promise<void> {
  await putJson(store, sftChunkFailureKey(input.output, input.chunk), { chunk: input.chunk, error: input.error, cause: (input.cause ?? '').slice(0, 2000) });
}

/** `dataset.json` of an SFT dataset: the files, the counts, the tokens spent and everything left out. */
export const SftDatasetDescriptorSchema = z.object({
  id: z.string(),
  kind: z.literal('experience-sft'),
  format: z.literal('chat-messages-jsonl'),
  source: z.object({ dataset: z.string(), env: z.string() }),
  teacherModel: z.string(),
  recipe: AnnotationPlanSchema.shape.recipe,
  files: z.array(z.string()),
  chunks: z.number().int(),
  transitions: z.number().int(),
  records: z.number().int(),
  skipped: z.array(SkippedTransitionSchema),
  failedChunks: z.array(FailedChunkSchema),
  malformedSource: AnnotationPlanSchema.shape.malformed,
  usage: ChunkUsageSchema,
  /** Every chunk attempt's LLM calls, retries, schema failures, failures and tokens, failed attempts included. */
  llm: LlmUsageSchema.default({}),
  complete: z.boolean(),
  finalisedAt: z.string(),
});
export type SftDatasetDescriptor = z.infer<typeof SftDatasetDescriptorSchema>;

export interface AnnotationSummary {
  id: string;
  descriptor: string;
  transitions: number;
  records: number;
  skipped: number;
  failedChunks: number;
  totalTokens: number;
  llm: LlmUsage;
  complete: boolean;
  message: string;
}

/**
 * Writes the SFT dataset's descriptor from what the store holds (each chunk's manifest and recorded failures), not
 * from what the workflow passed along: committed chunks count, missing ones are failures with the error the Map's
 * Catch recorded. Complete means
 * every planned chunk is committed; skipped transitions do not make it incomplete, they are listed.
 *
 * @example
 * const summary = await finaliseAnnotation(store, job);
 * summary.complete; // false when a chunk failed after its retries: re-run the workflow to finish it
 */
export async function finaliseAnnotation(store: Store, job: AnnotationJob): Promise<AnnotationSummary> {
  const plan = await readAnnotationPlan(store, job.output);
  const files: string[] = [];
  const skipped: SkippedTransition[] = [];
  const failedChunks: z.infer<typeof FailedChunkSchema>[] = [];
  const usage = emptyChunkUsage();
  let records = 0;
  for (const chunk of plan.chunks) {
    const manifest = await readManifest(store, sftChunkPrefix(job.output, chunk.index));
    if (!manifest) {
      const failure = await getJsonIfExists(store, sftChunkFailureKey(job.output, chunk.index), FailedChunkSchema);
      failedChunks.push({ chunk: chunk.index, error: failure?.error ?? 'NotCommitted', cause: failure?.cause ?? 'the chunk has no committed batch' });
      continue;
    }
    const meta = ChunkMetaSchema.parse(manifest.meta);
    records += meta.records;
    addChunkUsage(usage, meta.usage);
    files.push(manifest.objects.find((o) => o.name === SFT_RECORDS_FILE)!.key);
    const listed = JSON.parse(new TextDecoder().decode(await readBatchObject(store, manifest, SFT_SKIPPED_FILE)));
    skipped.push(...z.array(SkippedTransitionSchema).parse(listed));
  }
  const complete = failedChunks.length === 0;
  const descriptor: SftDatasetDescriptor = {
    id: job.output, kind: 'experience-sft', format: 'chat-messages-jsonl', source: { dataset: job.dataset, env: job.env },
    teacherModel: job.teacherModel, recipe: plan.recipe, files, chunks: plan.chunks.length, transitions: plan.transitions, records,
    skipped, failedChunks, malformedSource: plan.malformed, usage, llm: await readLlmUsage(store, sftLlmPrefix(job.output)), complete, finalisedAt: new Date().toISOString(),
  };
  const key = sftDescriptorKey(job.output);
  await putJson(store, key, descriptor);
  const first = failedChunks[0];
  const message = complete
    ? `annotated ${records} of ${plan.transitions} transitions into ${key} (${skipped.length} skipped)`
    : `${failedChunks.length} of ${plan.chunks.length} chunks failed (chunk ${first.chunk}: ${first.error}: ${first.cause.slice(0, 300)}); `
      + `${key} lists them; re-run the workflow with the same input to finish`;
  return {
    id: job.output, descriptor: key, transitions: plan.transitions, records, skipped: skipped.length,
    failedChunks: failedChunks.length, totalTokens: usage.totalTokens, llm: descriptor.llm, complete, message,
  };
}
