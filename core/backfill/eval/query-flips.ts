import type { QueryScore } from './average-precision.ts';

/** Below this, an AP difference from the old model's is float noise, not a drop. */
const AP_TOLERANCE = 1e-12;

/** `[fraction backfilled, share of queries]` per curve point. */
export type FlipRateCurve = ReadonlyArray<readonly [fraction: number, share: number]>;

/**
 * Per-query negative flips of one search mode against the old model, at each backfill fraction — the usual meaning
 * of a negative flip in compatible-retrieval work: `top1`, the share of queries whose rank-1 result was right with
 * the old model and is wrong now; `ap`, the share whose average precision is lower than with the old model.
 */
export interface QueryFlipRate {
  readonly top1: FlipRateCurve;
  readonly ap: FlipRateCurve;
}

/** True when the query's top-1 was right with the old model and is wrong now. */
export function isTop1Flip(old: QueryScore, now: QueryScore): boolean {
  return old.top1 === 1 && now.top1 === 0;
}

/** True when the query's AP is lower than with the old model. */
export function isApDrop(old: QueryScore, now: QueryScore): boolean {
  return now.averagePrecision < old.averagePrecision - AP_TOLERANCE;
}

/**
 * Counts per-query negative flips of one mode at each curve point, query by query, and gives them as shares.
 *
 * @example
 * const flips = new QueryFlipCounter([0, 0.5, 1]);
 * flips.record(1, { averagePrecision: 0.4, top1: 0 }, { averagePrecision: 0.6, top1: 1 }); // at 50%: both flip
 * flips.rates([0, 0.5, 1], 4); // { top1: [[0, 0], [0.5, 0.25], [1, 0]], ap: [[0, 0], [0.5, 0.25], [1, 0]] }
 */
export class QueryFlipCounter {
  readonly top1: Float64Array;
  readonly ap: Float64Array;

  constructor(fractions: readonly number[]) {
    this.top1 = new Float64Array(fractions.length);
    this.ap = new Float64Array(fractions.length);
  }

  /** One query at curve point `index`: its score in this mode, and with the old model. */
  record(index: number, now: QueryScore, old: QueryScore): void {
    if (isTop1Flip(old, now)) this.top1[index]++;
    if (isApDrop(old, now)) this.ap[index]++;
  }

  rates(fractions: readonly number[], queryCount: number): QueryFlipRate {
    const share = (counts: Float64Array) => fractions.map((f, i) => [f, queryCount === 0 ? 0 : counts[i] / queryCount] as const);
    return { top1: share(this.top1), ap: share(this.ap) };
  }
}

/** Mean share over the curve points (the backfill fractions are evenly spaced by default). */
export function meanShare(curve: FlipRateCurve): number {
  return curve.length === 0 ? 0 : curve.reduce((s, [, share]) => s + share, 0) / curve.length;
}

/** Largest share over the curve points: the worst moment of the backfill for flips. */
export function worstShare(curve: FlipRateCurve): number {
  return curve.reduce((m, [, share]) => Math.max(m, share), 0);
}
