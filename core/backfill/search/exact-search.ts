import { InvalidInputError } from '../../errors.ts';
import { assertDim, type FeatureMatrix } from '../features.ts';
import { dot } from './dot.ts';
import { assertGalleryPart, itemIndex, type GalleryPart } from './gallery-part.ts';
import { TopK } from './top-k.ts';

export interface SearchHit {
  /** Gallery-wide item index. */
  readonly index: number;
  /** Inner product; the cosine similarity when both sides are L2-normalised. Higher is closer. */
  readonly score: number;
}

export interface ExactSearchOptions {
  /**
   * Scan only these rows of the part (row numbers, ascending), e.g. items passing a filter. For a large random
   * subset that is searched often, packing its rows into their own part is faster: gathering every other row of a
   * 70k×64 matrix measured ~40% slower than scanning the same rows packed (see `createBackfillGallery`).
   */
  readonly rows?: Uint32Array;
}

const BLOCK_ROWS = 512;

/**
 * Exact top-k by inner product for a batch of queries. The gallery is scanned in blocks of rows that stay in
 * cache while every query is scored against them; each query keeps a TopK heap. Cost is rows·dim·queries
 * multiply-adds, nothing else allocated per row.
 *
 * @example
 * const hits = searchExact(queries, { features: galleryFeatures }, 10);
 * hits[0][0]; // { index, score } of query 0's nearest item
 */
export function searchExact(queries: FeatureMatrix, part: GalleryPart, k: number, options: ExactSearchOptions = {}): SearchHit[][] {
  const heaps = searchExactHeaps(queries, part, k, options);
  return heaps.map((h) => h.sorted());
}

/** `searchExact`, returning the heaps so a caller can merge them further. */
export function searchExactHeaps(queries: FeatureMatrix, part: GalleryPart, k: number, options: ExactSearchOptions = {}): TopK[] {
  if (!Number.isInteger(k) || k < 0) throw new InvalidInputError(`k must be a non-negative integer, got ${k}`);
  assertGalleryPart(part, 'gallery part');
  assertDim(queries, part.features.dim, 'query features');
  const { dim, data } = part.features;
  const rowList = options.rows;
  const count = rowList ? rowList.length : part.features.rows;
  const out = Array.from({ length: queries.rows }, () => new TopK(k));
  for (let start = 0; start < count; start += BLOCK_ROWS) {
    const end = Math.min(count, start + BLOCK_ROWS);
    for (let q = 0; q < queries.rows; q++) {
      const heap = out[q];
      const qOffset = q * dim;
      let threshold = heap.threshold;
      for (let i = start; i < end; i++) {
        const r = rowList ? rowList[i] : i;
        const score = dot(queries.data, qOffset, data, r * dim, dim);
        if (score >= threshold) {
          heap.push(score, itemIndex(part, r));
          threshold = heap.threshold;
        }
      }
    }
  }
  return out;
}
