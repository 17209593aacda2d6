/**
 * How a query is answered while a gallery is part old-model, part new-model features. For gallery item i with old
 * feature oᵢ and, once backfilled, new feature nᵢ; query q with φ_old(q), φ_new(q) and ψ(φ_new(q)) (all unit
 * length), the score of item i (higher is closer, results sorted by it) is:
 *
 * | mode | not yet backfilled | backfilled | models run on the query |
 * |---|---|---|---|
 * | `old` | φ_old(q)·oᵢ | φ_old(q)·oᵢ (its old feature is kept) | old |
 * | `naive` | φ_new(q)·oᵢ | φ_new(q)·nᵢ | new |
 * | `rank-merge` | φ_old(q)·oᵢ | φ_new(q)·nᵢ | old and new |
 * | `rt-merge` | c(ψ(φ_new(q))·oᵢ) | φ_new(q)·nᵢ | new (+ ψ, a small MLP or a matrix) |
 *
 * - `old` is the no-backfill baseline: the upgrade never reaches users.
 * - `naive` is what a vector index does if new-model vectors are simply upserted over old ones and queried with the
 *   new model: one query, raw cosine against whatever vector each item holds now. It needs equal dims, and because
 *   the two spaces are unrelated, the old part's scores are noise until the backfill ends: the regret (negative
 *   flips) that online backfilling exists to remove.
 * - `rank-merge` is the paper's training-free distance rank merge: each part is searched in its own space with that
 *   space's query and the two lists are merged by raw cosine. Ranking inside each part is right; across parts it
 *   relies on the two models' cosine scales happening to agree.
 * - `rt-merge` is the paper's reverse transformation: only the new model runs, ψ maps its query into the old space
 *   for the old part. Distances are made comparable by training ψ and the new model with the metric-compatible
 *   contrastive loss (Reverie's built-in models), and, optionally, by the affine calibration `c(s) = scale·s + shift`
 *   applied to old-part scores (identity by default).
 *
 * At 100% backfilled every mode but `old` scores every item with φ_new(q)·nᵢ, i.e. equals the new model exactly.
 */
export const SearchMode = {
  old: 'old',
  naive: 'naive',
  rankMerge: 'rank-merge',
  rtMerge: 'rt-merge',
} as const;
export type SearchMode = (typeof SearchMode)[keyof typeof SearchMode];

export const SEARCH_MODES: readonly SearchMode[] = Object.values(SearchMode);

/** Affine map applied to old-part scores in `rt-merge`, to put them on the new space's scale. */
export interface ScoreCalibration {
  readonly scale: number;
  readonly shift: number;
}

export const IDENTITY_CALIBRATION: ScoreCalibration = { scale: 1, shift: 0 };

export function isSearchMode(value: string): value is SearchMode {
  return (SEARCH_MODES as readonly string[]).includes(value);
}
