import { InvalidInputError } from '../../errors.ts';
import type { Rng } from '../../random.ts';
import type { Task } from '../../env/environment.ts';

export const TaskOrigin = { original: 'original', curriculum: 'curriculum' } as const;
export type TaskOrigin = (typeof TaskOrigin)[keyof typeof TaskOrigin];

export interface SampledTask {
  readonly task: Task;
  readonly origin: TaskOrigin;
}

/**
 * The tasks of one iteration: at most ⌊λ·count⌋ from the curriculum pool (DreamGym's λ bounds the share of
 * synthetic tasks), the rest from the original training tasks, each drawn without replacement while it can be.
 *
 * @example
 * sampleIterationTasks({ original, pool, count: 16, syntheticShare: 0.25, rng }); // ≤ 4 curriculum tasks
 */
export function sampleIterationTasks(input: {
  readonly original: readonly Task[];
  readonly pool: readonly Task[];
  readonly count: number;
  /** λ in [0, 1]. */
  readonly syntheticShare: number;
  readonly rng: Rng;
}): SampledTask[] {
  const { original, pool, count, syntheticShare, rng } = input;
  if (!(syntheticShare >= 0 && syntheticShare <= 1)) {
    throw new InvalidInputError(`the synthetic task share λ must be in [0, 1], got ${syntheticShare}`);
  }
  if (original.length === 0) throw new InvalidInputError('an iteration needs at least one original task');
  const fromPool = Math.min(pool.length, Math.floor(syntheticShare * count));
  const curriculum = rng.shuffle(pool).slice(0, fromPool).map((task) => ({ task, origin: TaskOrigin.curriculum }));
  const rest: SampledTask[] = [];
  while (rest.length < count - fromPool) {
    for (const task of rng.shuffle(original).slice(0, count - fromPool - rest.length)) {
      rest.push({ task, origin: TaskOrigin.original });
    }
  }
  return [...rest, ...curriculum];
}
