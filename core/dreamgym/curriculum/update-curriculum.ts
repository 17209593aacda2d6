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
  /** Proposed variations dropped because their goal is a held-out evaluation goal or a training goal, by which. */
  readonly duplicatesDropped: { evaluation: number; training: number };
}

/** Which of the run's goals a variation repeats: an evaluation goal, a training goal, or none. */
export type DuplicateOf = (task: Task) => 'evaluation' | 'training' | undefined;

/**
 * DreamGym's curriculum step after an iteration: value each task by the reward variance of its group (or of its
 * embedding cluster, for PPO), let the highest-value ones (value > 0: the policy neither always fails nor always
 * succeeds) seed variations, drop those repeating an evaluation or training goal, keep the selected ones in the pool
 * ahead of older ones.
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
    /**
     * Whether a variation repeats a held-out evaluation goal (training on it would leak the evaluation) or a
     * training goal (nothing new); such variations are dropped before selection, whatever the generator did, and
     * counted.
     */
    readonly duplicateOf?: DuplicateOf;
  },
  options: CurriculumOptions = {},
): Promise<CurriculumUpdate> {
  const ranked = input.clusterOf ? rankTasksByClusterValue(input.outcomes, input.clusterOf) : rankTasksByValue(input.outcomes);
  const seeds = ranked.filter((t) => t.value > 0 && input.tasks.has(t.taskId)).slice(0, options.seedTasks ?? 4);
  const added: Task[] = [];
  const known = new Set([...input.previousPool.map((t) => t.id), ...input.tasks.keys()]);
  const duplicatesDropped = { evaluation: 0, training: 0 };
  const original = (p: Task) => {
    const of = input.duplicateOf?.(p);
    if (of !== undefined) duplicatesDropped[of]++;
    return of === undefined;
  };
  for (const seed of seeds) {
    const task = input.tasks.get(seed.taskId)!;
    const proposals = await input.generator.propose(task, options.variationsPerSeed ?? 8, input.rng.fork(task.id));
    const fresh = proposals.filter((p) => !known.has(p.id)).filter(original);
    for (const { task: variation } of await input.generator.select(task, fresh, options.keepPerSeed ?? 2)) {
      if (known.has(variation.id)) continue;
      known.add(variation.id);
      added.push(variation);
    }
  }
  const pool = [...added, ...input.previousPool].slice(0, options.poolSize ?? 64);
  return { ranked, seeds: seeds.map((s) => s.taskId), added, pool, duplicatesDropped };
}
