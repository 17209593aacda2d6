import type { Rng } from '../../random.ts';
import type { Task } from '../../env/environment.ts';
import type { TaskGenerator } from './task-generator.ts';
import { rankTasksByClusterValue, rankTasksByValue } from './task-value.ts';
import type { TaskOutcome, ValuedTask } from './task-value.ts';

export interface CurriculumOptions {
  /** Highest-value tasks that seed variations per iteration; 4 by default. */
  readonly seedTasks?: number;
  /** Variations proposed per seed; 8 by default. */
  readonly variationsPerSeed?: number;
  /** Variations kept per seed after selection; 2 by default. */
  readonly keepPerSeed?: number;
  /** Curriculum tasks kept for sampling, newest first; 64 by default. */
  readonly poolSize?: number;
}

export interface CurriculumUpdate {
  /** Every task of the iteration with its value V_τ, highest first. */
  readonly ranked: ValuedTask[];
  readonly seeds: string[];
  readonly added: Task[];
  /** The tasks the next iterations may sample as synthetic curriculum tasks. */
  readonly pool: Task[];
}

/**
 * DreamGym's curriculum step after an iteration: value each task by the reward variance of its group (or of its
 * embedding cluster, for PPO), let the highest-value ones (value > 0: the policy neither always fails nor always
 * succeeds) seed variations, keep the selected ones in the pool ahead of older ones.
 *
 * @example
 * const next = await updateCurriculum({ outcomes, tasks, previousPool, generator, rng }, { seedTasks: 4 });
 */
export async function updateCurriculum(
  input: {
    readonly outcomes: readonly TaskOutcome[];
    /** The tasks of the iteration by id (the seeds are taken from here). */
    readonly tasks: ReadonlyMap<string, Task>;
    readonly previousPool: readonly Task[];
    readonly generator: TaskGenerator;
    readonly rng: Rng;
    /** Task id → cluster, for PPO's cluster values; per-task (GRPO) values without it. */
    readonly clusterOf?: ReadonlyMap<string, number>;
  },
  options: CurriculumOptions = {},
): Promise<CurriculumUpdate> {
  const ranked = input.clusterOf ? rankTasksByClusterValue(input.outcomes, input.clusterOf) : rankTasksByValue(input.outcomes);
  const seeds = ranked.filter((t) => t.value > 0 && input.tasks.has(t.taskId)).slice(0, options.seedTasks ?? 4);
  const added: Task[] = [];
  const known = new Set([...input.previousPool.map((t) => t.id), ...input.tasks.keys()]);
  for (const seed of seeds) {
    const task = input.tasks.get(seed.taskId)!;
    const proposals = await input.generator.propose(task, options.variationsPerSeed ?? 8, input.rng.fork(task.id));
    const fresh = proposals.filter((p) => !known.has(p.id));
    for (const { task: variation } of await input.generator.select(task, fresh, options.keepPerSeed ?? 2)) {
      if (known.has(variation.id)) continue;
      known.add(variation.id);
      added.push(variation);
    }
  }
  const pool = [...added, ...input.previousPool].slice(0, options.poolSize ?? 64);
  return { ranked, seeds: seeds.map((s) => s.taskId), added, pool };
}
