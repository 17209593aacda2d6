import type { Store } from '../../../store/store.ts';
import { onGalleryChange } from '../gallery-changes.ts';
import { loadGallery, refreshGallery, type LoadedGallery, type LoadGalleryOptions } from './loaded-gallery.ts';

interface Entry {
  current: Promise<LoadedGallery>;
  checkedAt: number;
  /** Set by an in-process notice: the next call waits for the refresh. */
  stale: boolean;
  revalidating?: Promise<void>;
}

const entries = new Map<string, Entry>();
const keyOf = (storeUri: string, galleryId: string, kind = 'exact') => `${storeUri}\n${galleryId}\n${kind}`;

// A backfill step in this process (the local engine, `reverie serve`) marks the gallery stale at once.
onGalleryChange((storeUri, galleryId) => {
  for (const [key, entry] of entries) if (key.startsWith(keyOf(storeUri, galleryId, ''))) entry.stale = true;
});

export interface GalleryCacheOptions extends LoadGalleryOptions {
  /**
   * How often the store is asked whether the backfill committed more shards or a new ψ. Default 1000 ms; the check
   * runs in the background, so no search waits for it. 0 checks on every call and waits for the answer. Changes made
   * in this process are always seen at once.
   */
  readonly refreshMs?: number;
}

/**
 * The gallery loaded for search, cached per process: loaded once, then refreshed incrementally (only new shards are
 * read) when a backfill commits more shards or refits ψ. Concurrent callers share one load.
 *
 * @example
 * const gallery = await cachedGallery(store, 'fashion-mnist');
 */
export async function cachedGallery(store: Store, galleryId: string, options: GalleryCacheOptions = {}): Promise<LoadedGallery> {
  const key = keyOf(store.uri, galleryId, options.vectorIndex?.kind);
  const refreshMs = options.refreshMs ?? 1000;
  const now = Date.now();
  const entry = entries.get(key);
  if (!entry) {
    const loading = loadGallery(store, galleryId, options);
    entries.set(key, { current: loading, checkedAt: now, stale: false });
    loading.catch(() => entries.delete(key));
    return loading;
  }
  if (entry.stale || refreshMs === 0) {
    entry.stale = false;
    entry.checkedAt = now;
    entry.current = entry.current.then((loaded) => refreshGallery(store, loaded));
    entry.current.catch(() => entries.delete(key));
  } else if (now - entry.checkedAt >= refreshMs && !entry.revalidating) {
    entry.checkedAt = now;
    const served = entry.current;
    // Stale-while-revalidate: keep answering from what is loaded; a failed check drops the entry so the next call
    // loads afresh and reports the problem (a corrupt shard, say) instead of hiding it.
    entry.revalidating = served
      .then((loaded) => refreshGallery(store, loaded))
      .then((next) => {
        if (entry.current === served) entry.current = Promise.resolve(next);
      }, () => {
        entries.delete(key);
      })
      .finally(() => {
        entry.revalidating = undefined;
      });
  }
  return entry.current;
}

/** Forgets every cached gallery (tests, and a process that deletes galleries). */
export function clearGalleryCache(): void {
  entries.clear();
}
