/** One point of a backfill curve: fraction backfilled, mAP, top-1. */
export type CurvePoint = readonly [fraction: number, mAP: number, top1: number];

export interface CurveSummary {
  /** Area under the mAP curve over fraction in [0, 1], trapezoid rule. */
  readonly auc: number;
  /** (auc − old mAP) / (new mAP − old mAP); null when the two models score the same. */
  readonly relativeGain: number | null;
  /**
   * Curve points whose mAP is below the old model's mAP: the paper's curve-level regret during the backfill. Not the
   * per-query negative flips of compatible-retrieval work (see `QueryFlipRate`); the name is kept for compatibility.
   */
  readonly negativeFlips: number;
  readonly curve: readonly CurvePoint[];
}

/** Below this, a difference from the old score is float summation noise, not a flip. */
const FLIP_TOLERANCE = 1e-12;

/**
 * Summarises a curve against the old and new models' mAP.
 *
 * @example
 * summarizeCurve([[0, 0.5, 0.6], [1, 0.7, 0.8]], 0.5, 0.7); // { auc: 0.6, relativeGain: 0.5, negativeFlips: 0, ... }
 */
export function summarizeCurve(curve: readonly CurvePoint[], oldMap: number, newMap: number): CurveSummary {
  const sorted = [...curve].sort((a, b) => a[0] - b[0]);
  let auc = 0;
  for (let i = 1; i < sorted.length; i++) auc += ((sorted[i][0] - sorted[i - 1][0]) * (sorted[i][1] + sorted[i - 1][1])) / 2;
  const span = newMap - oldMap;
  return {
    auc,
    relativeGain: span === 0 ? null : (auc - oldMap) / span,
    negativeFlips: sorted.filter((p) => p[1] < oldMap - FLIP_TOLERANCE).length,
    curve: sorted,
  };
}
