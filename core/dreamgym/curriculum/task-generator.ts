import type { Rng } from '../../random.ts';
import type { Task } from '../../env/environment.ts';

/** A variation with how hard it looks, once checked feasible and well defined. */
export interface CheckedVariation {
  readonly task: Task;
  /** Larger is harder; only comparable within one generator. */
  readonly difficulty: number;
}

/**
 * DreamGym's curriculum task generator, in its two prompts: `propose` writes variations of a high-value seed task;
 * `select` keeps those that are challenging but feasible and well defined, hardest first.
 */
export interface TaskGenerator {
  readonly name: string;
  propose(seed: Task, count: number, rng: Rng): Promise<Task[]>;
  select(seed: Task, candidates: readonly Task[], keep: number): Promise<CheckedVariation[]>;
}
