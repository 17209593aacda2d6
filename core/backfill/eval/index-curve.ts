import { InvalidInputError } from '../../errors.ts';
import { selectRows, type FeatureMatrix } from '../features.ts';
import { applyBackfillWave, createBackfillIndexes } from '../search/index/backfill-indexes.ts';
import { searchBackfillIndexes } from '../search/index/index-merged-search.ts';
import type { VectorIndexFactory } from '../search/index/vector-index.ts';
import type { MergedHit } from '../search/merged-search.ts';
import type { SearchMode } from '../search/search-mode.ts';
import { backfilledCount } from './backfill-order.ts';
import { summarizeCurve, type CurvePoint, type CurveSummary } from './curve-summary.ts';

export interface IndexCurveInput {
  readonly gallery: { readonly old: FeatureMatrix; readonly new: FeatureMatrix; readonly labels: ArrayLike<number> };
  /** Query features per space (`psi`: ψ of the new-model features, for rt-merge) and labels. */
  readonly queries: { readonly old: FeatureMatrix; readonly new: FeatureMatrix; readonly psi?: FeatureMatrix; readonly labels: ArrayLike<number> };
  readonly order: Uint32Array;
  readonly fractions: readonly number[];
  readonly modes: readonly SearchMode[];
  /** Each search returns the top k; the score is mAP@k. */
  readonly k: number;
}

export interface IndexCurve extends CurveSummary {
  /** Per fraction, every query's top-k item indexes (to compare one index kind's hits with another's). */
  readonly hits: number[][][];
}

/**
 * The backfill curve as a serving process sees it: the gallery's indexes of one kind, every item first in the old
 * index, then the waves (nested fractions of `order`) applied one after another as committed shards are, and after
 * each wave every query searched in each mode. The score is mAP@k (AP over the top k, divided by min(k, the query's
 * relevant items)), since an index returns a top-k rather than a ranking of the whole gallery; AUC and relative gain
 * take the curve's ends (the old model alone, the new one alone) as the old and new scores.
 *
 * @example
 * const curves = await indexBackfillCurves(usearchIndexFactory(), { gallery, queries, order, fractions, modes: ['rt-merge'], k: 100 });
 * curves['rt-merge'].auc;
 */
export async function indexBackfillCurves(factory: VectorIndexFactory, input: IndexCurveInput): Promise<Record<string, IndexCurve>> {
  const { gallery, queries, order, fractions, modes, k } = input;
  const n = gallery.old.rows;
  if (order.length !== n) throw new InvalidInputError(`the backfill order has ${order.length} items, the gallery ${n}`);
  const relevant = new Map<number, number>();
  for (let i = 0; i < n; i++) relevant.set(gallery.labels[i], (relevant.get(gallery.labels[i]) ?? 0) + 1);
  const apAtK = (hits: readonly MergedHit[], label: number) => {
    let found = 0, sum = 0;
    hits.forEach((h, r) => {
      if (gallery.labels[h.index] === label) sum += ++found / (r + 1);
    });
    return sum / Math.max(1, Math.min(k, relevant.get(label) ?? 0));
  };
  const indexes = await createBackfillIndexes(factory, 'curve', gallery.old.dim, gallery.new.dim);
  await indexes.oldRemaining.add(Int32Array.from({ length: n }, (_, i) => i), gallery.old);
  const points: Record<string, CurvePoint[]> = Object.fromEntries(modes.map((m) => [m, []]));
  const hits: Record<string, number[][][]> = Object.fromEntries(modes.map((m) => [m, []]));
  let done = 0;
  for (const fraction of [...fractions].sort((a, b) => a - b)) {
    const count = backfilledCount(n, fraction);
    const wave = Array.from(order.subarray(done, count));
    done = Math.max(done, count);
    if (wave.length) await applyBackfillWave(indexes, Int32Array.from(wave), selectRows(gallery.old, wave), selectRows(gallery.new, wave));
    for (const mode of modes) {
      let apSum = 0, top1 = 0;
      const rows: number[][] = [];
      for (let q = 0; q < queries.old.rows; q++) {
        const one = { old: selectRows(queries.old, [q]), new: selectRows(queries.new, [q]), ...(queries.psi ? { psi: selectRows(queries.psi, [q]) } : {}) };
        const [row] = await searchBackfillIndexes(mode, one, indexes, k);
        apSum += apAtK(row, queries.labels[q]);
        if (row[0] && gallery.labels[row[0].index] === queries.labels[q]) top1++;
        rows.push(row.map((h) => h.index));
      }
      points[mode].push([fraction, apSum / queries.old.rows, top1 / queries.old.rows]);
      hits[mode].push(rows);
    }
  }
  return Object.fromEntries(modes.map((mode) => {
    const curve = points[mode];
    return [mode, { ...summarizeCurve(curve, curve[0][1], curve[curve.length - 1][1]), hits: hits[mode] }];
  }));
}
