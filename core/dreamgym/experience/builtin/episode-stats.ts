import type { StoredTransition } from '../../replay/stored-transition.ts';

/**
 * What real trajectories show about episodes as a whole: how they start, and the step limit that ends them. The
 * limit is the longest episode length, trusted only when episodes pile up there (at least 2 and 1% of them), the
 * mark a limit leaves; a longest episode that is a one-off is no evidence of a limit.
 */
export class EpisodeStats {
  private readonly firstStates = new Map<string, number>();
  private readonly firstStateByTask = new Map<string, string>();
  private readonly lengths = new Map<string, number>();
  private limit: number | undefined | null = null;

  learn(transition: StoredTransition): void {
    if (transition.stepIndex === 0) {
      this.firstStates.set(transition.state, (this.firstStates.get(transition.state) ?? 0) + 1);
      if (!this.firstStateByTask.has(transition.taskId)) this.firstStateByTask.set(transition.taskId, transition.state);
    }
    if (transition.done) {
      this.lengths.set(transition.trajectoryId, transition.stepIndex + 1);
      this.limit = null;
    }
  }

  /**
   * The first state of the task as real episodes of it began, else what `composed` makes of it (the environment
   * kind's knowledge), else the most common first state (ties: first seen).
   */
  initialState(taskId: string, composed?: () => string | undefined): string | undefined {
    const own = this.firstStateByTask.get(taskId) ?? (this.firstStates.size > 0 ? composed?.() : undefined);
    if (own !== undefined) return own;
    let best: string | undefined;
    let count = 0;
    for (const [state, n] of this.firstStates) if (n > count) [best, count] = [state, n];
    return best;
  }

  /** Steps after which an episode ends unfinished, when the data shows one. */
  stepLimit(): number | undefined {
    if (this.limit !== null) return this.limit;
    let longest = 0;
    for (const length of this.lengths.values()) longest = Math.max(longest, length);
    let atLongest = 0;
    for (const length of this.lengths.values()) if (length === longest) atLongest++;
    this.limit = longest > 0 && atLongest >= Math.max(2, 0.01 * this.lengths.size) ? longest : undefined;
    return this.limit;
  }
}
