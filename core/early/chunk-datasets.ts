import { recordLlmUsage } from '../llm/usage-records.ts';
import { z } from 'zod';
import type { ChatModel } from '../llm/chat-model.ts';
import { Semaphore } from '../llm/semaphore.ts';
import { commitBatch, readManifest } from '../store/batch.ts';
import { toJsonl } from '../store/json.ts';
import type { Store } from '../store/store.ts';
import { BranchRecordSchema } from './branch-record.ts';
import { RoleNotConfiguredError } from './errors.ts';
import type { BranchChunk, EarlyJob } from './input.ts';
import { iwmRecords } from './iwm-records.ts';
import { BRANCHES_FILE, IWM_FILE, SR_FILE, branchBatch, datasetPartBatch, llmPrefix } from './keys.ts';
import { readBatchJsonl } from './read-batch-jsonl.ts';
import { srRecord } from './sr-records.ts';
import { extractiveSummariser, teacherSummariser } from './summarise-state.ts';
import type { StateSummariser } from './summarise-state.ts';

/** What a dataset part's manifest says about its chunk. */
export const DatasetPartMetaSchema = z.object({
  chunk: z.number().int(),
  iwmRecords: z.number().int(),
  srRecords: z.number().int(),
  /** IWM targets that were summarised. */
  summarised: z.number().int(),
});
export type DatasetPartMeta = z.infer<typeof DatasetPartMetaSchema>;

/**
 * Turns one chunk's committed branches into its IWM and SR records and commits them as one batch. With a teacher in
 * the job, the teacher writes the reflections (and summaries), `llmConcurrency` calls at a time; a committed part
 * comes back as it is, so a re-run calls no LLM again.
 *
 * @example
 * const meta = await buildChunkDatasets(store, job, plan.chunks[0], { teacher: runtime.chat('teacher') });
 * // { chunk: 0, iwmRecords: 72, srRecords: 17, summarised: 0, reused: false }
 */
export function buildChunkDatasets(
  store: Store,
  job: EarlyJob,
  chunk: BranchChunk,
  options: { teacher?: ChatModel } = {},
): Promise<DatasetPartMeta & { reused: boolean }> {
  const step = `datasets-${String(chunk.index).padStart(5, '0')}`;
  return recordLlmUsage(store, llmPrefix(job.runId, step), () => buildOneChunk(store, job, chunk, options));
}

async function buildOneChunk(
  store: Store,
  job: EarlyJob,
  chunk: BranchChunk,
  options: { teacher?: ChatModel },
): Promise<DatasetPartMeta & { reused: boolean }> {
  const batch = datasetPartBatch(job.runId, chunk.index);
  const committed = await readManifest(store, batch);
  if (committed) return { ...DatasetPartMetaSchema.parse(committed.meta), reused: true };
  const needsTeacher = job.reflectionModel !== undefined || job.summariserModel !== undefined;
  if (needsTeacher && !options.teacher) throw new RoleNotConfiguredError('teacher', `run ${job.runId} (planned with teacher reflections or summaries)`);
  const { records: branches } = await readBatchJsonl(store, branchBatch(job.runId, chunk.index), BRANCHES_FILE, BranchRecordSchema);
  const gate = new Semaphore(job.llmConcurrency);
  const summariser = summariserOf(job, options.teacher, gate);
  const reflectWith = job.reflectionModel ? options.teacher : undefined;
  const iwm = (await Promise.all(branches.map((branch) => iwmRecords(branch, summariser)))).flat();
  const sr = await Promise.all(branches.map((branch) =>
    reflectWith ? gate.run(() => srRecord(branch, reflectWith)) : srRecord(branch)));
  const meta: DatasetPartMeta = {
    chunk: chunk.index, iwmRecords: iwm.length, srRecords: sr.length, summarised: iwm.filter((r) => r.summariser !== 'none').length,
  };
  const manifest = await commitBatch(store, batch, [{ name: IWM_FILE, body: toJsonl(iwm) }, { name: SR_FILE, body: toJsonl(sr) }], meta);
  return { ...DatasetPartMetaSchema.parse(manifest.meta), reused: false };
}

function summariserOf(job: EarlyJob, teacher: ChatModel | undefined, gate: Semaphore): StateSummariser | undefined {
  if (job.summariseOver === undefined) return undefined;
  return job.summariserModel && teacher ? teacherSummariser(teacher, job.summariseOver, gate) : extractiveSummariser(job.summariseOver);
}
