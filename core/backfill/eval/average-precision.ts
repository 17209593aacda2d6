import { rankByScore } from './ranking.ts';

/**
 * One query's scores against every gallery item in one space, laid out in ranked order so that the merge walk in
 * `mergedAveragePrecision` reads memory sequentially.
 */
export interface RankedRow {
  /** Item indices, best first. */
  readonly order: Uint32Array;
  /** `scores[k]`: score of item `order[k]`. */
  readonly scores: Float32Array;
  /** `relevant[k] === 1` when item `order[k]` has the query's label. */
  readonly relevant: Uint8Array;
  /** `backfillRank[k]`: position of item `order[k]` in the backfill order (backfilled at count c when < c). */
  readonly backfillRank: Uint32Array;
}

/** Ranks one row of scores (indexed by item) and lays out everything the walk needs. */
export function rankRow(scores: Float32Array, labels: ArrayLike<number>, label: number, backfillRank: Uint32Array): RankedRow {
  const order = rankByScore(scores);
  const n = order.length;
  const sorted = new Float32Array(n), relevant = new Uint8Array(n), rank = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[k];
    sorted[k] = scores[i];
    relevant[k] = labels[i] === label ? 1 : 0;
    rank[k] = backfillRank[i];
  }
  return { order, scores: sorted, relevant, backfillRank: rank };
}

/** Average precision and rank-1 hit (CMC top-1) of one query. */
export interface QueryScore {
  readonly averagePrecision: number;
  readonly top1: number;
}

/**
 * AP and top-1 of the ranking that merges two rows by score when the first `backfilled` items of the backfill order
 * are backfilled: those take their place from `newRow`, all others from `oldRow`. Ties across the rows go to the
 * lower item index, as in `TopK`. AP = (1/R)·Σ over the R relevant items of (relevant items ranked at or above it) /
 * (its rank). With `newRow` null (or `backfilled` 0) this is plain AP of `oldRow`.
 *
 * @example
 * // ranking [relevant, other, relevant]: AP = (1/1 + 2/3) / 2 = 0.8333, top1 = 1
 */
export function mergedAveragePrecision(oldRow: RankedRow, newRow: RankedRow | null, backfilled: number, relevantCount: number): QueryScore {
  if (relevantCount === 0) return { averagePrecision: 0, top1: 0 };
  const n = oldRow.order.length;
  const b = newRow === null ? 0 : backfilled;
  let ia = 0, ib = 0, rank = 0, hits = 0, sum = 0, top1 = -1;
  while (hits < relevantCount) {
    while (ia < n && oldRow.backfillRank[ia] < b) ia++;
    if (newRow !== null) while (ib < n && newRow.backfillRank[ib] >= b) ib++;
    let fromOld: boolean;
    if (ia >= n && (newRow === null || ib >= n)) break;
    if (newRow === null || ib >= n) fromOld = true;
    else if (ia >= n) fromOld = false;
    else {
      const sa = oldRow.scores[ia], sb = newRow.scores[ib];
      fromOld = sa > sb || (sa === sb && oldRow.order[ia] < newRow.order[ib]);
    }
    const hit = fromOld ? oldRow.relevant[ia++] : newRow!.relevant[ib++];
    rank++;
    if (top1 < 0) top1 = hit;
    if (hit === 1) sum += ++hits / rank;
  }
  return { averagePrecision: sum / relevantCount, top1: Math.max(top1, 0) };
}

/**
 * AP and top-1 of a single ranking given scores and labels by item (ties to the lower index).
 *
 * @example
 * averagePrecision(Float32Array.of(0.9, 0.8, 0.7), Uint8Array.of(1, 0, 1), 1); // { averagePrecision: 0.8333, top1: 1 }
 */
export function averagePrecision(scores: Float32Array, labels: ArrayLike<number>, label: number): QueryScore {
  const row = rankRow(scores, labels, label, new Uint32Array(scores.length));
  let relevant = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === label) relevant++;
  return mergedAveragePrecision(row, null, 0, relevant);
}
