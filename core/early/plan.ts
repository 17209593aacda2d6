import { z } from 'zod';
import { ConflictError, InvalidInputError } from '../errors.ts';
import { hashSeed } from '../random.ts';
import { getJson } from '../store/json.ts';
import type { Store } from '../store/store.ts';
import type { MalformedRecord } from '../dreamgym/offline/parse-records.ts';
import { RoleNotConfiguredError } from './errors.ts';
import { readOfflinePart } from '../dreamgym/offline/dataset-store.ts';
import { isExpertDemonstration, resolveExpertDataset } from './expert-demos.ts';
import { BranchChunkSchema, EarlyJobSchema } from './input.ts';
import type { BranchChunk, EarlyExperienceInput, EarlyJob } from './input.ts';
import { planKey } from './keys.ts';

/** Chunk descriptors travel in the workflow's state (256 KB on AWS); past this, ask for bigger chunks. */
export const MAX_CHUNKS = 2000;
/** Malformed records named in the plan's result; all of them are in plan.json. */
const REPORTED_MALFORMED = 20;

export const MalformedRecordSchema = z.object({
  source: z.string().optional(), line: z.number(), id: z.string().optional(), message: z.string(),
});

/** `early/<runId>/plan.json`, written create-only so every re-run of the run agrees on its chunks. */
export const EarlyPlanSchema = z.object({
  version: z.literal(1),
  job: EarlyJobSchema.omit({ llmConcurrency: true }),
  chunks: z.array(BranchChunkSchema),
  expertTrajectories: z.number().int(),
  expertStates: z.number().int(),
  malformed: z.array(MalformedRecordSchema),
  plannedAt: z.string(),
});
export type EarlyPlan = z.infer<typeof EarlyPlanSchema>;

const RecipeSchema = EarlyJobSchema.omit({ llmConcurrency: true, replayBuffer: true });

export interface PlannedRun {
  job: EarlyJob;
  chunks: BranchChunk[];
  expertTrajectories: number;
  expertStates: number;
  malformedCount: number;
  /** The first malformed expert records, each with its key and line. */
  malformed: MalformedRecord[];
}

/** The chat models configured for the roles early experience can use. */
export interface EarlyModels {
  readonly policy?: { readonly model: string };
  readonly teacher?: { readonly model: string };
}

/**
 * Picks the expert demonstrations, splits their states into chunks of whole trajectories (about `chunkSize`
 * states, never across a part) and records the plan. The run id is derived from the recipe, so the same input
 * with the same models is the same run, and re-running it resumes instead of duplicating.
 *
 * @example
 * const plan = await planEarlyExperience(store, EarlyExperienceInputSchema.parse({ env: 'shop', k: 4 }), {});
 * plan.chunks[0]; // { index: 0, part: 'part-00000', start: 0, end: 4, states: 17 }
 */
export async function planEarlyExperience(store: Store, input: EarlyExperienceInput, models: EarlyModels): Promise<PlannedRun> {
  const info = await resolveExpertDataset(store, input);
  const job = resolveJob(input, info.id, input.env ?? info.env, models);
  const chunks: BranchChunk[] = [];
  const malformed: MalformedRecord[] = [];
  let trajectories = 0;
  let states = 0;
  for (const part of info.parts) {
    if (trajectories >= input.experts) break;
    const parsed = await readOfflinePart(store, info.id, part);
    malformed.push(...parsed.malformed);
    let open: BranchChunk | undefined;
    for (let i = 0; i < parsed.records.length && trajectories < input.experts; i++) {
      const record = parsed.records[i];
      open ??= { index: chunks.length, part, start: i, end: i, states: 0 };
      open.end = i + 1;
      if (!isExpertDemonstration(record)) continue;
      trajectories++;
      states += record.steps.length;
      open.states += record.steps.length;
      if (open.states >= input.chunkSize) {
        chunks.push(open);
        open = undefined;
      }
    }
    if (open && open.states > 0) chunks.push(open);
  }
  if (trajectories === 0) {
    throw new InvalidInputError(`dataset "${info.id}" holds no expert trajectories (successful episodes of policy "expert"), `
      + 'so there is nothing to branch from; import expert demonstrations with `reverie dreamgym import` or name another --dataset');
  }
  if (chunks.length > MAX_CHUNKS) {
    throw new InvalidInputError(`branching ${states} expert states in chunks of ${input.chunkSize} makes ${chunks.length} chunks, `
      + `more than ${MAX_CHUNKS}; raise chunkSize to at least ${Math.ceil(states / MAX_CHUNKS)}`);
  }
  await recordPlan(store, { version: 1, job: withoutConcurrency(job), chunks, expertTrajectories: trajectories, expertStates: states, malformed, plannedAt: new Date().toISOString() });
  return { job, chunks, expertTrajectories: trajectories, expertStates: states, malformedCount: malformed.length, malformed: malformed.slice(0, REPORTED_MALFORMED) };
}

export async function readEarlyPlan(store: Store, runId: string): Promise<EarlyPlan> {
  return getJson(store, planKey(runId), EarlyPlanSchema);
}

function resolveJob(input: EarlyExperienceInput, dataset: string, env: string, models: EarlyModels): EarlyJob {
  const usePolicy = input.alternatives === 'policy' || (input.alternatives === 'auto' && models.policy !== undefined);
  if (usePolicy && !models.policy) throw new RoleNotConfiguredError('policy', 'alternatives "policy"');
  const teacherReflects = input.reflections === 'teacher' || (input.reflections === 'auto' && models.teacher !== undefined);
  if (teacherReflects && !models.teacher) throw new RoleNotConfiguredError('teacher', 'reflections "teacher"');
  const teacherSummarises = input.summariseOver !== undefined
    && (input.summariser === 'teacher' || (input.summariser === 'auto' && models.teacher !== undefined));
  if (teacherSummarises && !models.teacher) throw new RoleNotConfiguredError('teacher', 'summariser "teacher"');
  const recipe = {
    env, dataset, k: input.k, seed: input.seed, shopSeed: input.shopSeed,
    policyModel: usePolicy ? models.policy!.model : undefined,
    temperatures: input.temperatures,
    reflectionModel: teacherReflects ? models.teacher!.model : undefined,
    summariseOver: input.summariseOver,
    summariserModel: teacherSummarises ? models.teacher!.model : undefined,
  };
  const runId = input.runId ?? `${dataset}-k${input.k}-${hashSeed(JSON.stringify(recipe)).toString(16).padStart(8, '0')}`;
  return { runId, ...recipe, llmConcurrency: input.llmConcurrency, replayBuffer: input.replayBuffer };
}

function withoutConcurrency(job: EarlyJob): EarlyPlan['job'] {
  const { llmConcurrency: _perRun, ...rest } = job;
  return rest;
}

async function recordPlan(store: Store, plan: EarlyPlan): Promise<void> {
  const key = planKey(plan.job.runId);
  if (await store.putIfAbsent(key, `${JSON.stringify(plan, null, 2)}\n`)) return;
  const existing = await getJson(store, key, EarlyPlanSchema);
  // Compared in the schema's key order; the replay buffer is a later step and does not change the data.
  const recipe = (job: EarlyPlan['job']) => JSON.stringify(RecipeSchema.parse(job));
  if (recipe(plan.job) === recipe(existing.job) && JSON.stringify(existing.chunks) === JSON.stringify(plan.chunks)) return;
  throw new ConflictError(`early-experience run "${plan.job.runId}" was planned with other settings or chunks; `
    + 're-run with the same settings to resume it, or give another runId');
}
