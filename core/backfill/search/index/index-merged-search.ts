import { InvalidInputError } from '../../../errors.ts';
import type { FeatureMatrix } from '../../features.ts';
import type { SearchHit } from '../exact-search.ts';
import { GalleryPartName, type BackfillSearchOptions, type MergedHit, type QueryFeatureSet } from '../merged-search.ts';
import { IDENTITY_CALIBRATION, SearchMode, type ScoreCalibration } from '../search-mode.ts';
import { TopK } from '../top-k.ts';
import type { BackfillIndexes } from './backfill-indexes.ts';
import type { VectorIndex } from './vector-index.ts';

export interface IndexSearchOptions extends BackfillSearchOptions {
  /**
   * Candidates asked of each approximate part, as a multiple of `k` (default 2): the merge of two per-part top-k
   * lists is the exact merged top-k when each list is exact, so asking an approximate part for more makes its
   * top-k hits more likely to be found. Exact parts are asked for `k`.
   */
  readonly candidateFactor?: number;
}

/**
 * `searchBackfillGallery` over vector indexes: the same modes and scores (see `SearchMode`), each part searched with
 * its own query and the lists merged by (calibrated) score. With `ExactIndex` parts the result equals
 * `searchBackfillGallery`'s; with approximate ones it equals it at the parts' recall.
 *
 * @example
 * const [hits] = await searchBackfillIndexes('rt-merge', { new: q, psi }, indexes, 10);
 */
export async function searchBackfillIndexes(
  mode: SearchMode,
  queries: QueryFeatureSet,
  indexes: BackfillIndexes,
  k: number,
  options: IndexSearchOptions = {},
): Promise<MergedHit[][]> {
  if (!Number.isInteger(k) || k < 0) throw new InvalidInputError(`k must be a non-negative integer, got ${k}`);
  const factor = options.candidateFactor ?? 2;
  if (!(factor >= 1)) throw new InvalidInputError(`candidateFactor must be at least 1, got ${factor}`);
  const need = (name: keyof QueryFeatureSet): FeatureMatrix => {
    const m = queries[name];
    if (!m) throw new InvalidInputError(`search mode "${mode}" needs the ${name === 'psi' ? 'ψ-transformed new' : name}-model query features`);
    return m;
  };
  const part = async (index: VectorIndex, q: FeatureMatrix, name: GalleryPartName, calibration = IDENTITY_CALIBRATION): Promise<PartHits> => {
    if (q.dim !== index.dim) throw new InvalidInputError(`search mode "${mode}" compares queries of dim ${q.dim} with ${name}-model features of dim ${index.dim}; it needs equal dims`);
    const want = index.approximate ? Math.max(k, Math.min(index.maxK ?? Infinity, Math.ceil(k * factor))) : k;
    return { hits: await index.search(q, want), part: name, calibration };
  };
  switch (mode) {
    case SearchMode.old: {
      const q = need('old');
      return merge(k, q.rows, await Promise.all([part(indexes.oldRemaining, q, 'old'), part(indexes.oldBackfilled, q, 'old')]));
    }
    case SearchMode.naive: {
      const q = need('new');
      return merge(k, q.rows, await Promise.all([part(indexes.oldRemaining, q, 'old'), part(indexes.new, q, 'new')]));
    }
    case SearchMode.rankMerge: {
      const rows = sameRows(need('old'), need('new'));
      return merge(k, rows, await Promise.all([part(indexes.oldRemaining, need('old'), 'old'), part(indexes.new, need('new'), 'new')]));
    }
    case SearchMode.rtMerge: {
      const calibration = options.calibration ?? IDENTITY_CALIBRATION;
      if (!(calibration.scale > 0)) throw new InvalidInputError(`score calibration scale must be positive, got ${calibration.scale}`);
      const rows = sameRows(need('psi'), need('new'));
      return merge(k, rows, await Promise.all([part(indexes.oldRemaining, need('psi'), 'old', calibration), part(indexes.new, need('new'), 'new')]));
    }
    default:
      throw new InvalidInputError(`unknown search mode "${String(mode)}"; use one of old, naive, rank-merge, rt-merge`);
  }
}

interface PartHits {
  readonly hits: SearchHit[][];
  readonly part: GalleryPartName;
  readonly calibration: ScoreCalibration;
}

function sameRows(a: FeatureMatrix, b: FeatureMatrix): number {
  if (a.rows !== b.rows) throw new InvalidInputError(`query feature sets differ in length: ${a.rows} vs ${b.rows} queries`);
  return a.rows;
}

function merge(k: number, queryCount: number, results: readonly PartHits[]): MergedHit[][] {
  const out: MergedHit[][] = [];
  for (let q = 0; q < queryCount; q++) {
    const top = new TopK(k);
    const partOf = new Map<number, GalleryPartName>();
    for (const { hits, part, calibration } of results) {
      for (const hit of hits[q]) {
        top.push(calibration.scale * hit.score + calibration.shift, hit.index);
        partOf.set(hit.index, part);
      }
    }
    out.push(top.sorted().map((hit) => ({ ...hit, part: partOf.get(hit.index) ?? GalleryPartName.old })));
  }
  return out;
}
