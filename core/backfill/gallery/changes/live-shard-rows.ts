import type { Store } from '../../../store/store.ts';
import { createFeatureMatrix, type FeatureMatrix } from '../../features.ts';
import type { GalleryRecord } from '../gallery-record.ts';
import { readChangeLog } from './change-log.ts';
import { galleryMembership, liveRows } from './membership.ts';

/**
 * Embeds only the items of ingested shard rows `[start, end)` that are still in the gallery: `embed` gets the live
 * rows (offsets from `start`; `'all'` when none is deleted, so nothing is copied), and the deleted rows of the result
 * are zeros. A deleted item is never searched, fitted
 * or exported again (indices are never reused), so the backfill need not read or embed it; its row stays so a shard's
 * rows and ids keep their positions. `skipped` counts the deleted rows.
 *
 * @example
 * const { features, skipped } = await embedLiveRows(store, record, 0, 1000, dim, (rows) => embedder.embedImages(rows === 'all' ? images : subsetImages(images, rows)));
 */
export async function embedLiveRows(
  store: Store, record: GalleryRecord, start: number, end: number, dim: number, embed: (rows: Uint32Array | 'all') => Promise<FeatureMatrix>,
): Promise<{ features: FeatureMatrix; skipped: number }> {
  const membership = galleryMembership(record, await readChangeLog(store, record.id));
  const { rows } = liveRows(membership, start, end);
  const total = end - start;
  if (rows.length === total) return { features: await embed('all'), skipped: 0 };
  const out = new Float32Array(total * dim);
  if (rows.length > 0) {
    const live = await embed(rows);
    rows.forEach((r, i) => out.set(live.data.subarray(i * dim, (i + 1) * dim), r * dim));
  }
  return { features: createFeatureMatrix(out, dim), skipped: total - rows.length };
}
