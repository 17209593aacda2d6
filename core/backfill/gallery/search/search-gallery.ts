import { NO_LABEL } from '../../datasets/image-set.ts';
import { searchBackfillIndexes } from '../../search/index/index-merged-search.ts';
import type { Store } from '../../../store/store.ts';
import { cachedGallery, type GalleryCacheOptions } from './gallery-cache.ts';
import { embedQuery } from './query-features.ts';
import { resolveQueryImage, type QueryImage } from './query-image.ts';
import { embedPhotoQuery } from './photo-query.ts';
import type { OpenSourceStore } from '../../sources/image-source.ts';
import { SearchRequestSchema, type SearchRequest, type SearchResponse } from './search-schema.ts';

/**
 * Top-k search over a gallery as it is now, mid-backfill: old features for shards not yet backfilled, new ones
 * for backfilled shards, scored and merged as `mode` says, in the vector indexes `options.vectorIndex` makes (exact by default). The gallery is cached per process and refreshed when the
 * backfill commits more shards.
 *
 * @example
 * const result = await searchGallery(store, 'fashion-mnist', { itemId: 'q-00012', mode: 'rt-merge', k: 10 });
 * result.hits[0]; // { id: 'g-003141', label: 7, space: 'new', distance: 0.08, … }
 */
export async function searchGallery(
  store: Store,
  galleryId: string,
  request: SearchRequest,
  options: GalleryCacheOptions & { maxImagePixels?: number; maxImageBytes?: number; openStore?: OpenSourceStore } = {},
): Promise<SearchResponse> {
  const { itemId, image, mode, k } = SearchRequestSchema.parse(request);
  const started = performance.now();
  const gallery = await cachedGallery(store, galleryId, options);
  const loaded = performance.now();
  let query: Omit<QueryImage, 'image'>;
  let embedded: Awaited<ReturnType<typeof embedQuery>>;
  let embedStart: number;
  if (gallery.record.source.kind === 'stream') {
    embedStart = performance.now();
    const photo = await embedPhotoQuery(store, gallery, { itemId, image }, mode, { openStore: options.openStore, maxPixels: options.maxImagePixels, maxBytes: options.maxImageBytes });
    query = photo.query;
    embedded = photo;
  } else {
    const resolved = await resolveQueryImage(store, gallery, { itemId, image }, options);
    query = resolved;
    embedStart = performance.now();
    embedded = await embedQuery(store, gallery, resolved.image, mode);
  }
  const { features, psi } = embedded;
  const searchStart = performance.now();
  const [hits] = await searchBackfillIndexes(mode, features, gallery.indexes, k);
  const done = performance.now();
  const { items, record } = gallery;
  return {
    gallery: galleryId,
    mode,
    k,
    query: { id: query.id, sourceId: query.sourceId, label: query.label },
    hits: hits.map((hit) => {
      const label = items.labels[hit.index];
      return {
        id: items.ids[hit.index],
        sourceId: items.sourceIds[hit.index],
        label: label === NO_LABEL ? null : label,
        className: label === NO_LABEL ? null : (gallery.classes[label] ?? null),
        space: hit.part,
        score: hit.score,
        distance: 1 - hit.score,
      };
    }),
    backfilledFraction: gallery.membership.live === 0 ? 0 : gallery.backfilledItems / gallery.membership.live,
    psi,
    latencyMs: done - started,
    timings: { galleryMs: loaded - started, embedMs: searchStart - embedStart, searchMs: done - searchStart },
  };
}
