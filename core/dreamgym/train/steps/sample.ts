import { z } from 'zod';
import { createRng, hashSeed } from '../../../random.ts';
import { getJsonIfExists } from '../../../store/json.ts';
import { TaskSchema } from '../../../env/environment.ts';
import { sampleIterationTasks, TaskOrigin } from '../../curriculum/sample-tasks.ts';
import type { TrainDeps } from '../deps.ts';
import { trainTasks } from '../run-environment.ts';
import { iterationGroupCount, iterationSource, readRun } from '../run-record.ts';
import { runKeys } from '../run-keys.ts';
import { writeOnce } from '../write-once.ts';
import { CurriculumStateSchema } from './curriculum.ts';

export const IterationTasksSchema = z.object({
  iteration: z.number().int().min(1),
  source: z.enum(['synthetic', 'real']),
  tasks: z.array(z.object({ task: TaskSchema, origin: z.enum(TaskOrigin) })),
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
  const sampled = sampleIterationTasks({
    original: await trainTasks(runId, deps),
    pool: run.input.curriculum.enabled ? previous?.pool ?? [] : [],
    count: iterationGroupCount(run.input, iteration),
    syntheticShare: run.input.curriculum.enabled ? run.input.curriculum.syntheticShare : 0,
    rng: createRng(hashSeed(`sample:${run.input.seed}:${iteration}`)),
  });
  const plan: IterationTasks = { iteration, source: iterationSource(run.input, iteration), tasks: sampled };
  const stored = await writeOnce(deps.store, keys.tasks(iteration), plan, IterationTasksSchema);
  return { iteration, source: stored.source, groups: stored.tasks.map((_, i) => i) };
}
