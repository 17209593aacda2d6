import { z } from 'zod';
import { createRng, hashSeed } from '../../../random.ts';
import { getJsonIfExists } from '../../../store/json.ts';
import { TaskSchema } from '../../../env/environment.ts';
import { sampleIterationTasks, TaskOrigin } from '../../curriculum/sample-tasks.ts';
import type { TrainDeps } from '../deps.ts';
import { trainTasks } from '../run-environment.ts';
import { iterationGroupCount, iterationSource, readRun } from '../run-record.ts';
import { resolveS2rBudget, S2rBudgetSchema } from '../s2r-budget.ts';
import type { DreamGymTrainInput } from '../input.ts';
import { readManifest } from '../../../store/batch.ts';
import { runKeys } from '../run-keys.ts';
import { writeOnce } from '../write-once.ts';
import { CurriculumStateSchema } from './curriculum.ts';
import { NotFoundError } from '../../../errors.ts';
import { environmentKind } from '../../../env/environment-kinds.ts';

/**
 * S2R's real-phase budget as this iteration planned it: the whole budget and how it was set, what earlier real
 * iterations spent, and each group's share (`perGroup`: the most real interactions one group may make, all its
 * attempts together; its boundary refuses beyond).
 */
export const RealBudgetPlanSchema = S2rBudgetSchema.partial({ basis: true, leastRealEnv: true }).extend({
  spentBefore: z.number().int().nonnegative(),
});
export type RealBudgetPlan = z.infer<typeof RealBudgetPlanSchema>;

export const IterationTasksSchema = z.object({
  iteration: z.number().int().min(1),
  source: z.enum(['synthetic', 'real']),
  tasks: z.array(z.object({ task: TaskSchema, origin: z.enum(TaskOrigin) })),
  realBudget: RealBudgetPlanSchema.optional(),
});
export type IterationTasks = z.infer<typeof IterationTasksSchema>;

export interface IterationPlan {
  readonly iteration: number;
  readonly source: 'synthetic' | 'real';
  /** One Map item per group: its index into the iteration's tasks. */
  readonly groups: number[];
}

/**
 * Samples the tasks of iteration `iteration` (original tasks, plus at most λ of curriculum tasks from the previous
 * iteration's pool) and stores them create-only, so a re-run of the iteration plays the same tasks.
 *
 * @example
 * const plan = await sampleIteration({ runId, iteration: 1 }, deps); // { source: 'synthetic', groups: [0, …, 15] }
 */
export async function sampleIteration(input: { runId: string; iteration: number }, deps: TrainDeps): Promise<IterationPlan> {
  const { runId, iteration } = input;
  const run = await readRun(deps.store, runId);
  const keys = runKeys(runId);
  const previous = iteration > 1
    ? await getJsonIfExists(deps.store, keys.curriculum(iteration - 1), CurriculumStateSchema)
    : undefined;
  const source = iterationSource(run.input, iteration);
  const budget = source === 'real' ? await realBudgetPlan(run.input, runId, iteration, deps) : undefined;
  // A budgeted real iteration runs only as many groups as the rest of the budget covers in the worst case
  const count = budget
    ? Math.min(iterationGroupCount(run.input, iteration), Math.floor(Math.max(0, budget.total - budget.spentBefore) / budget.perGroup))
    : iterationGroupCount(run.input, iteration);
  const sampled = count === 0 ? [] : sampleIterationTasks({
    original: await trainTasks(runId, deps),
    // Variations exist only in the experience model where the environment cannot play them (an AgentGym server's)
    pool: run.input.curriculum.enabled && (source === 'synthetic' || environmentKind(run.input.env).realVariations) ? previous?.pool ?? [] : [],
    count,
    syntheticShare: run.input.curriculum.enabled ? run.input.curriculum.syntheticShare : 0,
    rng: createRng(hashSeed(`sample:${run.input.seed}:${iteration}`)),
  });
  const plan: IterationTasks = { iteration, source, tasks: sampled, ...(budget ? { realBudget: budget } : {}) };
  const stored = await writeOnce(deps.store, keys.tasks(iteration), plan, IterationTasksSchema);
  return { iteration, source: stored.source, groups: stored.tasks.map((_, i) => i) };
}

/**
 * The budget of an S2R real iteration, from what the counting boundaries measured: the real interactions of the
 * run's earlier iterations (their batches, failed attempts included) count against the budget, and the synthetic
 * iterations' measured rollouts and steps estimate the real-env reference a default budget is judged against.
 */
async function realBudgetPlan(input: DreamGymTrainInput, runId: string, iteration: number, deps: TrainDeps): Promise<RealBudgetPlan | undefined> {
  if (input.mode !== 's2r') return undefined;
  let spentBefore = 0, estimatedRealEnv = 0;
  for (let earlier = 1; earlier < iteration; earlier++) {
    const batch = await readManifest(deps.store, runKeys(runId).batch(earlier));
    if (!batch) throw new NotFoundError(`iteration ${earlier} of run ${runId} has no batch; its real interactions are unknown`);
    const stats = EarlierBatchSchema.parse(batch.meta);
    spentBefore += stats.realInteractions;
    if (stats.source === 'synthetic') estimatedRealEnv += stats.syntheticRollouts + stats.syntheticSteps;
  }
  return { ...resolveS2rBudget(input, estimatedRealEnv)!, spentBefore };
}

/** What the budget reads of an earlier batch (its stats, as the aggregate step wrote them). */
const EarlierBatchSchema = z.object({
  source: z.enum(['synthetic', 'real']),
  realInteractions: z.number().int().nonnegative(),
  syntheticRollouts: z.number().int().nonnegative(),
  syntheticSteps: z.number().int().nonnegative(),
});
