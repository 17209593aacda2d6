/**
 * One run of a workflow at its documented maximum size, as far as the deploy check needs it: how many items each
 * Map gets, where each Choice goes on its n-th visit within one execution, and which loops are bounded and why.
 */
export interface RunProfile {
  /** The documented maximum this profile describes, e.g. "1,000 iterations of 10,000 groups". */
  size: string;
  /** Items each Map state receives (every Map must be listed: a Map missing here counts as unbounded). */
  mapItems: Record<string, number>;
  /** The largest result one item of a Map returns, in bytes (default 1 KB), for Maps that keep their results. */
  resultBytes?: Record<string, number>;
  /** The next state of a Choice on its n-th visit (1-based) within one execution; default: its Default. */
  choose?: Record<string, (visit: number) => string>;
  /** Choice states that end a loop after a bounded number of turns, with the bound. */
  boundedLoops?: Record<string, string>;
}
