import { z } from 'zod';
import { recordLlmUsage } from '../../../llm/usage-records.ts';
import { NotFoundError } from '../../../errors.ts';
import { createRng, hashSeed } from '../../../random.ts';
import { readManifest } from '../../../store/batch.ts';
import { getJson, getJsonIfExists } from '../../../store/json.ts';
import { TaskSchema } from '../../../env/environment.ts';
import type { Task } from '../../../env/environment.ts';
import { clusterTasks } from '../../curriculum/cluster-tasks.ts';
import { createLlmTaskGenerator } from '../../curriculum/llm-task-generator.ts';
import type { TaskGenerator } from '../../curriculum/task-generator.ts';
import { type DuplicateOf, updateCurriculum } from '../../curriculum/update-curriculum.ts';
import { hashedWordEmbedder } from '../../curriculum/word-embedder.ts';
import type { TrainDeps } from '../deps.ts';
import { openExperienceModel } from '../experience-models.ts';
import { evaluationTasks, trainTasks } from '../run-environment.ts';
import { taskKey } from './setup-run.ts';
import { readRun } from '../run-record.ts';
import type { RunRecord } from '../run-record.ts';
import { runKeys } from '../run-keys.ts';
import { writeOnce } from '../write-once.ts';
import { BatchStatsSchema } from './aggregate.ts';
import type { BatchStats } from './aggregate.ts';
import { IterationTasksSchema } from './sample.ts';
import { environmentKind } from '../../../env/environment-kinds.ts';
import type { KnownTransition } from '../../../env/environment-kind.ts';

export const CurriculumStateSchema = z.object({
  iteration: z.number().int().min(1),
  generator: z.string(),
  /** The highest task values of the iteration, for the record. */
  top: z.array(z.object({ taskId: z.string(), value: z.number(), meanReward: z.number() })),
  seeds: z.array(z.string()),
  added: z.array(z.string()),
  /** The curriculum tasks the next iteration samples from (at most λ of its tasks). */
  pool: z.array(TaskSchema),
  skipped: z.string().optional(),
  /** LLM generator answers that kept failing their schema and were dropped. */
  schemaFailures: z.number().int().nonnegative().default(0),
  /** Proposed variations dropped for repeating a held-out evaluation goal or a training goal (never trained on). */
  duplicatesDropped: z.object({ evaluation: z.number().int().nonnegative(), training: z.number().int().nonnegative() }).default({ evaluation: 0, training: 0 }),
});
export type CurriculumState = z.infer<typeof CurriculumStateSchema>;

/**
 * The curriculum update after an iteration: task values from the batch's groups, the highest-value tasks seed
 * variations (the environment kind's generator over the experience model's knowledge, or the LLM task generator), and
 * the selected ones join the pool. It touches no real environment; evaluation later counts the variations the real
 * one finds infeasible.
 * Written once per iteration.
 *
 * @example
 * const state = await updateCurriculumStep({ runId, iteration: 1 }, deps); // state.pool.length, state.seeds
 */
export function updateCurriculumStep(input: { runId: string; iteration: number }, deps: TrainDeps): Promise<CurriculumState> {
  return recordLlmUsage(deps.store, runKeys(input.runId).llm(input.iteration, 'curriculum'), () => curriculumStep(input, deps));
}

async function curriculumStep(input: { runId: string; iteration: number }, deps: TrainDeps): Promise<CurriculumState> {
  const { runId, iteration } = input;
  const keys = runKeys(runId);
  const existing = await getJsonIfExists(deps.store, keys.curriculum(iteration), CurriculumStateSchema);
  if (existing) return existing;
  const run = await readRun(deps.store, runId);
  const previous = iteration > 1 ? await getJsonIfExists(deps.store, keys.curriculum(iteration - 1), CurriculumStateSchema) : undefined;
  const goals = await runGoals(run, deps);
  const { generator, why } = run.input.curriculum.enabled ? await generatorFor(run, deps, goals) : { why: 'curriculum is off for this run' };
  const base = { iteration, top: [], seeds: [], added: [], pool: previous?.pool ?? [] };
  if (!generator) {
    const skipped = why ?? 'no task generator';
    return writeOnce(deps.store, keys.curriculum(iteration), { ...base, generator: 'none', skipped, schemaFailures: 0, duplicatesDropped: { evaluation: 0, training: 0 } }, CurriculumStateSchema);
  }
  const stats = await readBatchStats(deps, keys.batch(iteration));
  const plan = await getJson(deps.store, keys.tasks(iteration), IterationTasksSchema);
  const tasks = new Map<string, Task>(plan.tasks.map(({ task }) => [task.id, task]));
  const outcomes = stats.outcomes.flatMap((o) => ('rewards' in o ? [{ taskId: o.taskId, rewards: o.rewards }] : []));
  const rng = createRng(hashSeed(`curriculum:${run.input.seed}:${iteration}`));
  const { grouping, clusters, seedTasks, variationsPerSeed, keepPerSeed, poolSize } = run.input.curriculum;
  const clusterOf = grouping === 'ppo'
    ? await clusterTasks([...tasks.values()], deps.embedder?.() ?? hashedWordEmbedder(), clusters, rng.fork('clusters'))
    : undefined;
  const update = await updateCurriculum(
    { outcomes, tasks, previousPool: previous?.pool ?? [], generator, rng, clusterOf, duplicateOf: goals.duplicateOf },
    { seedTasks, variationsPerSeed, keepPerSeed, poolSize },
  );
  return writeOnce(deps.store, keys.curriculum(iteration), {
    iteration,
    generator: generator.name,
    top: update.ranked.slice(0, 10),
    seeds: update.seeds,
    added: update.added.map((t) => t.id),
    pool: update.pool,
    schemaFailures: generator.schemaFailures ?? 0,
    duplicatesDropped: update.duplicatesDropped,
  }, CurriculumStateSchema);
}

/**
 * The iteration's task generator, which never sees the real environment: the environment kind's own generator over
 * what the experience model knows (its buffer's offline data), or the LLM generator with the kind's check of what is
 * feasible as far as that knowledge goes. Tasks of held-out evaluation and training are never produced.
 */
async function generatorFor(run: RunRecord, deps: TrainDeps, goals: { duplicateOf: DuplicateOf }): Promise<{ generator?: TaskGenerator; why?: string }> {
  const kind = environmentKind(run.input.env);
  const choice = run.input.curriculum.generator;
  const known = kind.curriculum ? await knownTransitions(run, deps) : undefined;
  if (kind.curriculum && !known && choice !== 'llm') {
    return { why: `experience model "${run.input.experienceModel.kind}" exposes no knowledge to judge variations from` };
  }
  const knowledge = known ? kind.curriculum!(known, (task) => goals.duplicateOf(task) !== undefined) : undefined;
  if (knowledge?.generator && (choice === 'builtin' || choice === 'auto')) return { generator: knowledge.generator };
  const chat = deps.chat('experience');
  if (!chat || choice === 'builtin') return { why: `no task generator for environment kind "${kind.name}" (configure the experience LLM)` };
  const check = knowledge?.check?.bind(knowledge);
  return { generator: createLlmTaskGenerator(chat, { rules: kind.rules, check }) };
}

/**
 * The run's held-out evaluation goals and training goals (keys as set-up de-duplicates them), and which of them a
 * variation repeats: the generator is asked not to make them, and the update drops any it makes all the same.
 */
async function runGoals(run: RunRecord, deps: TrainDeps): Promise<{ duplicateOf: DuplicateOf }> {
  const kind = environmentKind(run.input.env);
  const evaluation = new Set((await evaluationTasks(run.runId, deps)).map((t) => taskKey(t, kind)));
  const training = new Set((await trainTasks(run.runId, deps)).map((t) => taskKey(t, kind)));
  return {
    duplicateOf: (task) => {
      const key = taskKey(task, kind);
      return evaluation.has(key) ? 'evaluation' : training.has(key) ? 'training' : undefined;
    },
  };
}

/** What the run's experience model learned from (real transitions only), or undefined when it exposes nothing. */
async function knownTransitions(run: RunRecord, deps: TrainDeps): Promise<readonly KnownTransition[] | undefined> {
  if (run.input.mode === 'real') return undefined;
  const { kind, options } = run.input.experienceModel;
  const binding = await openExperienceModel(kind, { deps, runId: run.runId, envSpec: run.input.env, seed: run.input.seed, shopSeed: run.input.shop.seed, options });
  return binding.knowledge?.().filter((t) => t.source !== 'rollout');
}

async function readBatchStats(deps: TrainDeps, prefix: string): Promise<BatchStats> {
  const manifest = await readManifest(deps.store, prefix);
  if (!manifest) throw new NotFoundError(`training batch ${prefix} is not committed; aggregate the iteration first`);
  return BatchStatsSchema.parse(manifest.meta);
}
