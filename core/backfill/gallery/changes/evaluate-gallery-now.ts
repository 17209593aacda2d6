import { InvalidInputError } from '../../../errors.ts';
import type { Store } from '../../../store/store.ts';
import { NO_LABEL, subsetImages, type ImageSet } from '../../datasets/image-set.ts';
import { searchBackfillIndexes } from '../../search/index/index-merged-search.ts';
import { SEARCH_MODES, type SearchMode } from '../../search/search-mode.ts';
import type { GalleryRecord } from '../gallery-record.ts';
import { readImageShard } from '../image-shard.ts';
import { galleryKeys, shardCount, ShardKind } from '../keys.ts';
import { loadGallery } from '../search/loaded-gallery.ts';
import { embedQuery } from '../search/query-features.ts';

export interface GalleryNowEvaluation {
  readonly gallery: string;
  readonly backfilledFraction: number;
  /** Items searched: the gallery as it is now (deleted items left out, added ones in), and how many have a label. */
  readonly items: { readonly total: number; readonly labelled: number };
  /** Labelled held-out queries evaluated (queries whose class has no item in the gallery now are skipped). */
  readonly queries: number;
  /** mAP and CMC top-1 of each search mode over the gallery as it is now. */
  readonly modes: Record<SearchMode, { readonly mAP: number; readonly top1: number }>;
}

/**
 * Evaluates a labelled gallery as it stands, mid-backfill and after adds and deletes: each held-out query ranks every
 * item there now (exactly, through the same merged search users get) in each mode, and AP counts as relevant the live
 * items of the query's class, so a deleted item neither helps nor hurts and an added labelled item counts.
 *
 * @example
 * const report = await evaluateGalleryNow(store, 'photos');
 * report.modes['rt-merge'].mAP;
 */
export async function evaluateGalleryNow(store: Store, galleryId: string, options: { maxQueries?: number } = {}): Promise<GalleryNowEvaluation> {
  const gallery = await loadGallery(store, galleryId);
  const { record, items, membership } = gallery;
  const relevant = new Map<number, number>();
  let labelled = 0;
  for (let i = 0; i < membership.indexCount; i++) {
    const label = items.labels[i];
    if (membership.deleted[i] || label === NO_LABEL) continue;
    labelled++;
    relevant.set(label, (relevant.get(label) ?? 0) + 1);
  }
  if (labelled === 0) throw new InvalidInputError(`gallery "${galleryId}" has no labelled items now: there is nothing to evaluate mAP against`);
  const queries = await labelledQueries(store, record, relevant, options.maxQueries);
  if (queries.ids.length === 0) throw new InvalidInputError(`gallery "${galleryId}" has no labelled held-out queries of a class it holds`);
  const modes = {} as Record<SearchMode, { mAP: number; top1: number }>;
  for (const mode of SEARCH_MODES) {
    const { features } = await embedQuery(store, gallery, queries, mode);
    const ranked = await searchBackfillIndexes(mode, features, gallery.indexes, membership.live);
    let apSum = 0, top1Sum = 0;
    ranked.forEach((hits, q) => {
      const label = queries.labels[q];
      let found = 0, sum = 0;
      hits.forEach((hit, rank) => {
        if (items.labels[hit.index] === label) sum += ++found / (rank + 1);
      });
      apSum += sum / relevant.get(label)!;
      top1Sum += hits.length > 0 && items.labels[hits[0].index] === label ? 1 : 0;
    });
    modes[mode] = { mAP: apSum / queries.ids.length, top1: top1Sum / queries.ids.length };
  }
  return {
    gallery: galleryId, backfilledFraction: membership.live === 0 ? 0 : gallery.backfilledItems / membership.live,
    items: { total: membership.live, labelled }, queries: queries.ids.length, modes,
  };
}

async function labelledQueries(store: Store, record: GalleryRecord, relevant: Map<number, number>, maxQueries = Infinity): Promise<ImageSet> {
  const keys = galleryKeys(record.id);
  const shards = await Promise.all(Array.from({ length: shardCount(record.queries, record.shardSize) }, (_, s) =>
    readImageShard(store, keys.shard(ShardKind.queries, s), record.image)));
  const rows: { shard: number; row: number }[] = [];
  shards.forEach((shard, s) => shard.labels.forEach((label, row) => relevant.has(label) && rows.push({ shard: s, row })));
  const count = Math.min(rows.length, maxQueries);
  const picked = Array.from({ length: count }, (_, i) => rows[Math.floor((i * rows.length) / count)]);
  const parts = shards.map((shard, s) => subsetImages(shard, picked.filter((p) => p.shard === s).map((p) => p.row)));
  const size = record.image.height * record.image.width * record.image.channels;
  const pixels = new Uint8Array(count * size);
  let offset = 0;
  for (const part of parts) {
    pixels.set(part.pixels, offset);
    offset += part.pixels.length;
  }
  return { ids: parts.flatMap((p) => [...p.ids]), labels: Int32Array.from(parts.flatMap((p) => [...p.labels])), pixels, ...record.image };
}
