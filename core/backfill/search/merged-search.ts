import { InvalidInputError } from '../../errors.ts';
import type { FeatureMatrix } from '../features.ts';
import type { BackfillGallery } from './backfill-gallery.ts';
import { searchExactHeaps, type SearchHit } from './exact-search.ts';
import { IDENTITY_CALIBRATION, SearchMode, type ScoreCalibration } from './search-mode.ts';
import { TopK } from './top-k.ts';

/** One batch of queries embedded the ways the modes need (row q of each matrix is the same query). */
export interface QueryFeatureSet {
  /** φ_old(q): `old` and `rank-merge`. */
  readonly old?: FeatureMatrix;
  /** φ_new(q): `naive`, `rank-merge`, `rt-merge`. */
  readonly new?: FeatureMatrix;
  /** ψ(φ_new(q)), unit length: `rt-merge`. */
  readonly psi?: FeatureMatrix;
}

export const GalleryPartName = { old: 'old', new: 'new' } as const;
export type GalleryPartName = (typeof GalleryPartName)[keyof typeof GalleryPartName];

export interface MergedHit extends SearchHit {
  /** Which features the item was scored with. */
  readonly part: GalleryPartName;
}

export interface BackfillSearchOptions {
  /** `rt-merge` only: affine map of old-part scores. Default identity; `scale` must be positive. */
  readonly calibration?: ScoreCalibration;
}

/**
 * Exact top-k over a gallery mid-backfill, scoring items as `mode` says (see `SearchMode` for the formulas).
 * Each part is scanned once with its own query (`searchExact`), then the two top-k lists are merged, which is
 * exact: the merged top-k can only contain items from the two per-part top-k lists. Every item is scanned once,
 * so a merged search costs about the same as a single-space one.
 *
 * @example
 * const hits = searchBackfillGallery('rt-merge', { new: q, psi: await psi.apply(q) }, gallery, 10);
 * hits[0][0]; // { index, score, part: 'new' } — query 0's best item
 */
export function searchBackfillGallery(
  mode: SearchMode,
  queries: QueryFeatureSet,
  gallery: BackfillGallery,
  k: number,
  options: BackfillSearchOptions = {},
): MergedHit[][] {
  const need = (name: keyof QueryFeatureSet): FeatureMatrix => {
    const m = queries[name];
    if (!m) throw new InvalidInputError(`search mode "${mode}" needs the ${name === 'psi' ? 'ψ-transformed new' : name}-model query features`);
    return m;
  };
  switch (mode) {
    case SearchMode.old:
      return withPart(searchExactHeaps(need('old'), gallery.old, k), GalleryPartName.old);
    case SearchMode.naive: {
      const q = need('new');
      if (q.dim !== gallery.old.features.dim) {
        throw new InvalidInputError(
          `search mode "naive" compares new-model queries (dim ${q.dim}) with old-model features (dim ${gallery.old.features.dim}); it needs equal dims`,
        );
      }
      return merge(k, q.rows, [searchOld(q, gallery, k), searchNew(q, gallery, k)]);
    }
    case SearchMode.rankMerge:
      return merge(k, sameRows(need('old'), need('new')), [searchOld(need('old'), gallery, k), searchNew(need('new'), gallery, k)]);
    case SearchMode.rtMerge: {
      const calibration = options.calibration ?? IDENTITY_CALIBRATION;
      if (!(calibration.scale > 0)) throw new InvalidInputError(`score calibration scale must be positive, got ${calibration.scale}`);
      return merge(k, sameRows(need('psi'), need('new')), [searchOld(need('psi'), gallery, k, calibration), searchNew(need('new'), gallery, k)]);
    }
    default:
      throw new InvalidInputError(`unknown search mode "${String(mode)}"; use one of old, naive, rank-merge, rt-merge`);
  }
}

interface PartResult {
  readonly heaps: TopK[];
  readonly part: GalleryPartName;
  readonly calibration: ScoreCalibration;
}

/** The not-yet-backfilled items, by their old features. */
function searchOld(q: FeatureMatrix, gallery: BackfillGallery, k: number, calibration = IDENTITY_CALIBRATION): PartResult {
  return { heaps: searchExactHeaps(q, gallery.oldRemaining, k), part: GalleryPartName.old, calibration };
}

function searchNew(q: FeatureMatrix, gallery: BackfillGallery, k: number): PartResult {
  return { heaps: searchExactHeaps(q, gallery.new, k), part: GalleryPartName.new, calibration: IDENTITY_CALIBRATION };
}

function sameRows(a: FeatureMatrix, b: FeatureMatrix): number {
  if (a.rows !== b.rows) throw new InvalidInputError(`query feature sets differ in length: ${a.rows} vs ${b.rows} queries`);
  return a.rows;
}

function withPart(heaps: TopK[], part: GalleryPartName): MergedHit[][] {
  return heaps.map((h) => h.sorted().map((hit) => ({ ...hit, part })));
}

function merge(k: number, queryCount: number, results: readonly PartResult[]): MergedHit[][] {
  const out: MergedHit[][] = [];
  for (let q = 0; q < queryCount; q++) {
    const top = new TopK(k);
    const partOf = new Map<number, GalleryPartName>();
    for (const { heaps, part, calibration } of results) {
      for (const hit of heaps[q].sorted()) {
        top.push(calibration.scale * hit.score + calibration.shift, hit.index);
        partOf.set(hit.index, part);
      }
    }
    out.push(top.sorted().map((hit) => ({ ...hit, part: partOf.get(hit.index) ?? GalleryPartName.old })));
  }
  return out;
}
