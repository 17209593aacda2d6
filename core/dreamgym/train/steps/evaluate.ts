import { z } from 'zod';
import { ConflictError, NotFoundError } from '../../../errors.ts';
import { getJsonIfExists } from '../../../store/json.ts';
import type { TrainDeps } from '../deps.ts';
import type { DreamGymTrainInput } from '../input.ts';
import { readPolicy } from '../policy-store.ts';
import type { InteractionBoundary } from '../../../env/interaction-boundary.ts';
import { TaskSchema, type Task } from '../../../env/environment.ts';
import { environmentKind } from '../../../env/environment-kinds.ts';
import { environmentBoundary, evaluationTasks } from '../run-environment.ts';
import { CurriculumStateSchema } from './curriculum.ts';
import { readRun } from '../run-record.ts';
import { runKeys } from '../run-keys.ts';
import { writeOnce } from '../write-once.ts';
import { evaluateChunkStep, evaluationChunks, EvaluationChunkSchema, readFailedEvaluationAttempts, type EvaluationChunk } from './evaluate-chunk.ts';
import { versionOf } from './train-policy.ts';

export const EvaluationSchema = z.object({
  iteration: z.number().int().nonnegative(),
  evaluated: z.boolean(),
  policyVersion: z.string().optional(),
  episodes: z.number().int().nonnegative(),
  /** Share of held-out real tasks completed with reward 1. */
  successRate: z.number().optional(),
  meanReward: z.number().optional(),
  /**
   * Real accesses the evaluation made (its chunks' counting boundaries, chunk attempts that failed before writing
   * included, and the curriculum check); reported apart from training interactions.
   */
  interactions: z.number().int().nonnegative(),
  /** The part of `interactions` made by chunk attempts that failed before writing their chunk (then retried). */
  failedAttemptInteractions: z.number().int().nonnegative().default(0),
  /**
   * The curriculum's variations so far and how many the real environment finds infeasible, checked only here through
   * the environment kind's `feasible` hook (shop: no product satisfies them); `infeasible` null, with `note` saying
   * so, where the kind cannot check. Absent when the curriculum added none.
   */
  curriculum: z.object({
    variations: z.number().int().nonnegative(),
    infeasible: z.number().int().nonnegative().nullable(),
    note: z.string().optional(),
  }).optional(),
});
export type Evaluation = z.infer<typeof EvaluationSchema>;

export const EvaluationPlanSchema = z.object({
  iteration: z.number().int().nonnegative(),
  /** The chunks to evaluate (the Map's items): none when the evaluation is not due or is already written. */
  chunks: z.array(z.number().int().nonnegative()),
});
export type EvaluationPlan = z.infer<typeof EvaluationPlanSchema>;

/**
 * Real success of the policy after iteration `iteration` (0: before training) on the held-out real tasks, one greedy
 * episode per task with a seed fixed per task, so every iteration and every mode faces the same test. Runs at 0,
 * every `evaluation.every` iterations and at the last one; written once. The work is split in chunks of
 * `evaluation.chunkSize` tasks (`planEvaluationStep` → `evaluateChunkStep` per chunk → `finishEvaluationStep`), so
 * a workflow fans them out over functions; this runs the three in process, `evaluation.concurrency` chunks at once.
 *
 * @example
 * const { successRate } = await evaluatePolicyStep({ runId, iteration: 0 }, deps);
 */
export async function evaluatePolicyStep(input: { runId: string; iteration: number }, deps: TrainDeps): Promise<Evaluation> {
  const plan = await planEvaluationStep(input, deps);
  let next = 0;
  const worker = async () => {
    while (next < plan.chunks.length) await evaluateChunkStep({ ...input, chunk: plan.chunks[next++] }, deps);
  };
  const run = await readRun(deps.store, input.runId);
  await Promise.all(Array.from({ length: Math.min(run.input.evaluation.concurrency, plan.chunks.length) }, worker));
  return finishEvaluationStep(input, deps);
}

/**
 * Which chunks of iteration `iteration`'s evaluation to run: all of them when it is due and not yet written.
 *
 * @example
 * const { chunks } = await planEvaluationStep({ runId, iteration: 3 }, deps); // [0, 1, …]
 */
export async function planEvaluationStep(input: { runId: string; iteration: number }, deps: TrainDeps): Promise<EvaluationPlan> {
  const { runId, iteration } = input;
  if (await deps.store.head(runKeys(runId).evaluation(iteration))) return { iteration, chunks: [] };
  const run = await readRun(deps.store, runId);
  if (!isDue(run.input, iteration)) return { iteration, chunks: [] };
  const tasks = await evaluationTasks(runId, deps);
  const { count } = evaluationChunks(tasks.length, run.input.evaluation.chunkSize);
  return { iteration, chunks: Array.from({ length: count }, (_, c) => c) };
}

/**
 * The evaluation of iteration `iteration` from its chunks in the store, in task order (so it equals an evaluation in
 * one piece), plus the curriculum's feasibility check; its interactions are the chunks' counts and the check's.
 * Written once; refused while a chunk is missing.
 *
 * @example
 * const evaluation = await finishEvaluationStep({ runId, iteration: 3 }, deps);
 */
export async function finishEvaluationStep(input: { runId: string; iteration: number }, deps: TrainDeps): Promise<Evaluation> {
  const { runId, iteration } = input;
  const key = runKeys(runId).evaluation(iteration);
  const existing = await getJsonIfExists(deps.store, key, EvaluationSchema);
  if (existing) return existing;
  const run = await readRun(deps.store, runId);
  if (!isDue(run.input, iteration)) return { iteration, evaluated: false, episodes: 0, interactions: 0, failedAttemptInteractions: 0 };
  const tasks = await evaluationTasks(runId, deps);
  const { count } = evaluationChunks(tasks.length, run.input.evaluation.chunkSize);
  const chunks = await readChunks(deps, runId, iteration, count);
  const rewards = chunks.flatMap((c) => c.rewards);
  if (rewards.length !== tasks.length) throw new ConflictError(`the evaluation chunks of iteration ${iteration} hold ${rewards.length} rewards for ${tasks.length} tasks`);
  const versions = new Set(chunks.map((c) => c.policyVersion));
  if (versions.size > 1) throw new ConflictError(`the evaluation chunks of iteration ${iteration} evaluated different policies (${[...versions].join(', ')})`);
  const boundary = await environmentBoundary(run.input, deps, 'evaluation');
  const curriculum = await checkVariations(runId, run.input.env, iteration, boundary, deps);
  const failedAttemptInteractions = (await readFailedEvaluationAttempts(deps.store, runId, iteration)).reduce((sum, a) => sum + a.interactions, 0);
  return writeOnce(deps.store, key, {
    iteration,
    evaluated: true,
    policyVersion: chunks[0]?.policyVersion ?? versionOf(await readPolicy(deps.store, runId, iteration)),
    episodes: tasks.length,
    successRate: rewards.filter((r) => r >= 1).length / tasks.length,
    meanReward: rewards.reduce((a, b) => a + b, 0) / tasks.length,
    interactions: chunks.reduce((sum, c) => sum + c.interactions, 0) + failedAttemptInteractions + boundary.counts().total,
    failedAttemptInteractions,
    ...(curriculum ? { curriculum } : {}),
  }, EvaluationSchema);
}

function isDue(input: DreamGymTrainInput, iteration: number): boolean {
  return iteration === 0 || iteration === input.iterations || iteration % input.evaluation.every === 0;
}

/** Every chunk record, read 16 at a time; a missing one is named. */
async function readChunks(deps: TrainDeps, runId: string, iteration: number, count: number): Promise<EvaluationChunk[]> {
  const chunks: EvaluationChunk[] = new Array(count);
  const missing: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const c = next++;
      const chunk = await getJsonIfExists(deps.store, runKeys(runId).evaluationChunk(iteration, c), EvaluationChunkSchema);
      if (chunk) chunks[c] = chunk;
      else missing.push(c);
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, count) }, worker));
  if (missing.length) {
    missing.sort((a, b) => a - b);
    throw new NotFoundError(`the evaluation of iteration ${iteration} of run ${runId} is missing chunk(s) ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''} of ${count}; run them first`);
  }
  return chunks;
}

/**
 * Every variation the curriculum added up to `iteration`, checked for feasibility in the real environment by the
 * environment kind's hook (one counted access each); where the kind has none, counted and reported as not checked.
 */
async function checkVariations(runId: string, env: string, iteration: number, boundary: InteractionBoundary, deps: TrainDeps): Promise<Evaluation['curriculum']> {
  const added = new Map<string, Task>();
  for (let i = 1; i <= iteration; i++) {
    const state = await getJsonIfExists(deps.store, runKeys(runId).curriculum(i), CurriculumStateSchema);
    for (const task of state?.pool ?? []) added.set(task.id, TaskSchema.parse(task));
  }
  if (added.size === 0) return undefined;
  const kind = environmentKind(env);
  const check = kind.feasible?.bind(kind);
  if (!check) return { variations: added.size, infeasible: null, note: `curriculum variations not checked for feasibility for ${kind.name} (its environment kind has no feasibility check)` };
  let infeasible = 0;
  for (const task of added.values()) {
    if (!(await boundary.access('feasible', (real) => check(real, task)))) infeasible++;
  }
  return { variations: added.size, infeasible };
}
