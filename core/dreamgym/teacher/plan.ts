import { z } from 'zod';
import { ConflictError, InvalidInputError } from '../../errors.ts';
import { getJson } from '../../store/json.ts';
import type { Store } from '../../store/store.ts';
import { readOfflineDatasetInfo } from '../offline/dataset-store.ts';
import type { MalformedRecord } from '../offline/parse-records.ts';
import { ChunkDescriptorSchema, AnnotationJobSchema, type AnnotateInput, type AnnotationJob, type ChunkDescriptor } from './annotate-input.ts';
import { readOfflinePart } from '../offline/dataset-store.ts';
import { sftPlanKey } from './sft-keys.ts';

/** Chunk descriptors travel in the workflow's state (256 KB on AWS); past this, ask for bigger chunks. */
export const MAX_CHUNKS = 500;

const MalformedSchema = z.object({ source: z.string().optional(), line: z.number(), id: z.string().optional(), message: z.string() });

/** `plan.json`: what an SFT dataset is made of. Written create-only, so every run of the same output agrees on it. */
export const AnnotationPlanSchema = z.object({
  version: z.literal(1),
  recipe: AnnotationJobSchema.omit({ chunkConcurrency: true }),
  chunks: z.array(ChunkDescriptorSchema),
  transitions: z.number().int().nonnegative(),
  malformed: z.array(MalformedSchema),
  plannedAt: z.string(),
});
export type AnnotationPlan = z.infer<typeof AnnotationPlanSchema>;

export interface PlannedAnnotation {
  job: AnnotationJob;
  chunks: ChunkDescriptor[];
  transitions: number;
  /** Malformed offline lines, reported with their key and line in plan.json and the descriptor, and skipped. */
  malformed: number;
}

/**
 * Splits an offline dataset's transitions into chunks of whole trajectories (about `chunkSize` transitions each,
 * never across a part) and records the plan. Running it again with the same input and teacher model gives the same
 * plan; a different one for the same output is refused, so a resumed run never mixes two recipes.
 *
 * @example
 * const { job, chunks } = await planAnnotation(store, { dataset: 'shop-s1', chunkSize: 32, … }, teacher);
 * // chunks[0]: { index: 0, part: 'part-00000', start: 0, end: 7, transitions: 33 }
 */
export async function planAnnotation(store: Store, input: AnnotateInput, teacher: { readonly model: string }): Promise<PlannedAnnotation> {
  const info = await readOfflineDatasetInfo(store, input.dataset);
  const job: AnnotationJob = {
    dataset: input.dataset, output: input.output ?? `${input.dataset}-sft`, env: info.env, teacherModel: teacher.model,
    chunkSize: input.chunkSize, chunkConcurrency: input.chunkConcurrency, maxTransitions: input.maxTransitions,
    maxHistorySteps: input.maxHistorySteps, temperature: input.temperature,
    buffer: input.buffer, embedder: input.embedder, k: input.k,
  };
  const chunks: ChunkDescriptor[] = [];
  const malformed: MalformedRecord[] = [];
  let transitions = 0;
  const full = () => job.maxTransitions !== undefined && transitions >= job.maxTransitions;
  for (const part of info.parts) {
    if (full()) break;
    const parsed = await readOfflinePart(store, job.dataset, part);
    malformed.push(...parsed.malformed);
    let open: ChunkDescriptor | undefined;
    for (let i = 0; i < parsed.records.length && !full(); i++) {
      open ??= { index: chunks.length, part, start: i, end: i, transitions: 0 };
      open.end = i + 1;
      open.transitions += parsed.records[i].steps.length;
      transitions += parsed.records[i].steps.length;
      if (open.transitions >= job.chunkSize) {
        chunks.push(open);
        open = undefined;
      }
    }
    if (open) chunks.push(open);
  }
  if (chunks.length > MAX_CHUNKS) {
    throw new InvalidInputError(`annotating "${job.dataset}" in chunks of ${job.chunkSize} transitions makes ${chunks.length} chunks, `
      + `more than ${MAX_CHUNKS}; raise chunkSize to at least ${Math.ceil(transitions / MAX_CHUNKS)}`);
  }
  await recordPlan(store, job, { chunks, transitions, malformed });
  return { job, chunks, transitions, malformed: malformed.length };
}

async function recordPlan(store: Store, job: AnnotationJob, planned: Pick<AnnotationPlan, 'chunks' | 'transitions' | 'malformed'>): Promise<void> {
  const { chunkConcurrency: _perRun, ...recipe } = job;
  const plan: AnnotationPlan = { version: 1, recipe, ...planned, plannedAt: new Date().toISOString() };
  const key = sftPlanKey(job.output);
  if (await store.putIfAbsent(key, `${JSON.stringify(plan, null, 2)}\n`)) return;
  const existing = await getJson(store, key, AnnotationPlanSchema);
  const differs = (Object.keys({ ...recipe, ...existing.recipe }) as (keyof typeof recipe)[])
    .filter((field) => JSON.stringify(recipe[field]) !== JSON.stringify(existing.recipe[field]));
  if (differs.length === 0 && JSON.stringify(existing.chunks) === JSON.stringify(plan.chunks)) return;
  const what = differs.length > 0
    ? differs.map((f) => `${f} ${JSON.stringify(existing.recipe[f])} (now ${JSON.stringify(recipe[f])})`).join(', ')
    : 'different chunks';
  throw new ConflictError(`SFT dataset "${job.output}" was planned with ${what}; re-run with the same settings to resume it, `
    + 'or write to another output id');
}

/**
 * The plan of an SFT dataset: its recipe, chunks and the malformed offline lines it skipped.
 *
 * @example
 * const plan = await readAnnotationPlan(store, 'shop-s1-sft'); // plan.chunks.length, plan.recipe.teacherModel
 */
export async function readAnnotationPlan(store: Store, output: string): Promise<AnnotationPlan> {
  return getJson(store, sftPlanKey(output), AnnotationPlanSchema);
}
