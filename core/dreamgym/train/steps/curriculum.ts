import { z } from 'zod';
import { NotFoundError } from '../../../errors.ts';
import { createRng, hashSeed } from '../../../random.ts';
import { readManifest } from '../../../store/batch.ts';
import { getJson, getJsonIfExists } from '../../../store/json.ts';
import { TaskSchema } from '../../env/environment.ts';
import type { Task } from '../../env/environment.ts';
import { goalKey } from '../../env/shop/instruction.ts';
import { ShopGoalSchema } from '../../env/shop/goal.ts';
import { buildShopTask } from '../../env/shop/tasks.ts';
import { clusterTasks } from '../../curriculum/cluster-tasks.ts';
import { createLlmTaskGenerator } from '../../curriculum/llm-task-generator.ts';
import { createShopTaskGenerator } from '../../curriculum/shop-task-generator.ts';
import type { TaskGenerator } from '../../curriculum/task-generator.ts';
import { updateCurriculum } from '../../curriculum/update-curriculum.ts';
import { hashedWordEmbedder } from '../../curriculum/word-embedder.ts';
import { SHOP_RULES } from '../../policy/prompt.ts';
import type { TrainDeps } from '../deps.ts';
import { asShop, evaluationTasks, runEnvironment } from '../run-environment.ts';
import { readRun } from '../run-record.ts';
import type { RunRecord } from '../run-record.ts';
import { runKeys } from '../run-keys.ts';
import { writeOnce } from '../write-once.ts';
import { BatchStatsSchema } from './aggregate.ts';
import type { BatchStats } from './aggregate.ts';
import { IterationTasksSchema } from './sample.ts';

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
});
export type CurriculumState = z.infer<typeof CurriculumStateSchema>;

/**
 * The curriculum update after an iteration: task values from the batch's groups, the highest-value tasks seed
 * variations (the built-in `shop` generator, or the LLM task generator), and the selected ones join the pool.
 * Written once per iteration.
 *
 * @example
 * const state = await updateCurriculumStep({ runId, iteration: 1 }, deps); // state.pool.length, state.seeds
 */
export async function updateCurriculumStep(input: { runId: string; iteration: number }, deps: TrainDeps): Promise<CurriculumState> {
  const { runId, iteration } = input;
  const keys = runKeys(runId);
  const existing = await getJsonIfExists(deps.store, keys.curriculum(iteration), CurriculumStateSchema);
  if (existing) return existing;
  const run = await readRun(deps.store, runId);
  const previous = iteration > 1 ? await getJsonIfExists(deps.store, keys.curriculum(iteration - 1), CurriculumStateSchema) : undefined;
  const generator = run.input.curriculum.enabled ? await generatorFor(run, deps) : undefined;
  const base = { iteration, top: [], seeds: [], added: [], pool: previous?.pool ?? [] };
  if (!generator) {
    const skipped = run.input.curriculum.enabled ? 'no task generator for this environment (configure the experience LLM)' : 'curriculum is off for this run';
    return writeOnce(deps.store, keys.curriculum(iteration), { ...base, generator: 'none', skipped }, CurriculumStateSchema);
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
    { outcomes, tasks, previousPool: previous?.pool ?? [], generator, rng, clusterOf },
    { seedTasks, variationsPerSeed, keepPerSeed, poolSize },
  );
  return writeOnce(deps.store, keys.curriculum(iteration), {
    iteration,
    generator: generator.name,
    top: update.ranked.slice(0, 10),
    seeds: update.seeds,
    added: update.added.map((t) => t.id),
    pool: update.pool,
  }, CurriculumStateSchema);
}

async function generatorFor(run: RunRecord, deps: TrainDeps): Promise<TaskGenerator | undefined> {
  const env = await runEnvironment(run.input, deps);
  const shop = asShop(env);
  const choice = run.input.curriculum.generator;
  const held = shop ? new Set((await evaluationTasks(run.input, deps)).map((t) => goalKey(ShopGoalSchema.parse(t.goal)))) : undefined;
  if (shop && (choice === 'builtin' || choice === 'auto')) return createShopTaskGenerator(shop, { excludeGoalKeys: held });
  const chat = deps.chat('experience');
  if (!chat || choice === 'builtin') return undefined;
  return createLlmTaskGenerator(chat, {
    rules: shop ? SHOP_RULES : 'A text environment; tasks are instructions the agent must complete.',
    check: shop ? (proposal) => {
      try {
        const task = buildShopTask(shop.catalog, proposal.goal);
        return held!.has(goalKey(task.goal)) ? undefined : task;
      } catch {
        return undefined;
      }
    } : undefined,
  });
}

async function readBatchStats(deps: TrainDeps, prefix: string): Promise<BatchStats> {
  const manifest = await readManifest(deps.store, prefix);
  if (!manifest) throw new NotFoundError(`training batch ${prefix} is not committed; aggregate the iteration first`);
  return BatchStatsSchema.parse(manifest.meta);
}
