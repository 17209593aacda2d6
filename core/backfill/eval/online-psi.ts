import { selectRows, type FeatureMatrix } from '../features.ts';
import { fitReverseTransform, type ReverseTransformMethod } from '../reverse-transform/fit-reverse-transform.ts';
import { backfilledCount } from './backfill-order.ts';

/** Minimum paired items before an online ψ is fitted; below it the old model answers the query. */
export const MIN_ONLINE_PAIRS = 2;

/**
 * ψ query features for each curve point when ψ is refitted online from the items backfilled so far (the gallery's
 * own paired old/new features, as a running backfill would do after each shard). Before there are
 * `MIN_ONLINE_PAIRS` pairs (the 0% point) no ψ exists yet, so the old model's query features stand in: the curve
 * then starts exactly at the old model's score.
 *
 * @example
 * const perFraction = onlinePsiQueries(gallery, queries, order, DEFAULT_FRACTIONS, 'procrustes');
 * evaluateBackfill({ gallery, queries, order, psiPerFraction: { 'rt-merge/online-procrustes': perFraction } });
 */
export function onlinePsiQueries(
  gallery: { readonly old: FeatureMatrix; readonly new: FeatureMatrix },
  queries: { readonly old: FeatureMatrix; readonly new: FeatureMatrix },
  order: Uint32Array,
  fractions: readonly number[],
  method: ReverseTransformMethod,
): FeatureMatrix[] {
  return fractions.map((f) => {
    const count = backfilledCount(order.length, f);
    if (count < MIN_ONLINE_PAIRS) return queries.old;
    const done = order.subarray(0, count);
    return fitReverseTransform(selectRows(gallery.new, done), selectRows(gallery.old, done), { method }).applySync(queries.new);
  });
}
