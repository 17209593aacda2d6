import { describe, expect, it } from 'vitest';
import { loadGallery, refreshGallery } from '../../core/backfill/gallery/search/loaded-gallery.ts';
import { usearchIndexFactory } from '../../core/backfill/search/index/usearch-index.ts';
import type { Store } from '../../core/store/store.ts';
import { testRuntime } from '../helpers/runtime.ts';
import { countingStore, ingestSmall, runBackfill } from './helpers.ts';

/** The store, counting the bytes written under the gallery's vector-index prefix. */
function indexWrites(inner: Store): Store & { bytes: () => number; reset: () => void } {
  let bytes = 0;
  return Object.assign(Object.create(inner) as Store, {
    uri: inner.uri,
    put: (key: string, body: Uint8Array | string) => {
      if (key.includes('/vector-index/')) bytes += typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
      return inner.put(key, body);
    },
    bytes: () => bytes,
    reset: () => void (bytes = 0),
  });
}

describe('usearch indexes in the store during a backfill', () => {
  it('write nothing for a wave between snapshots, a snapshot once a tenth of the shards committed, and load back without the shards', async () => {
    // 1,000 MNIST items in 20 shards of 50: a tenth is 2 shards.
    const runtime = await testRuntime();
    await ingestSmall(runtime.store, { shardSize: 50 });
    const store = indexWrites(runtime.store);
    const factory = usearchIndexFactory();
    let gallery = await loadGallery(store, 'mn', { vectorIndex: factory });
    expect(store.bytes()).toBeGreaterThan(0); // the build from scratch is saved
    store.reset();

    await runBackfill(runtime, { gallery: 'mn', maxShards: 1 });
    gallery = await refreshGallery(store, gallery);
    expect(gallery.newShards).toHaveLength(1);
    expect(store.bytes()).toBe(0); // one wave: applied in memory from the committed shard, nothing written

    await runBackfill(runtime, { gallery: 'mn', maxShards: 1 });
    gallery = await refreshGallery(store, gallery);
    expect(gallery.newShards).toHaveLength(2);
    expect(store.bytes()).toBeGreaterThan(0); // a tenth: the snapshot
    expect(gallery.snapshot).toEqual({ shards: 2, changes: 0 });

    // A new process reads the snapshot, not the embedding shards it covers, and finds the same neighbours.
    const counting = countingStore(runtime.store);
    const restarted = await loadGallery(counting, 'mn', { vectorIndex: factory });
    expect(counting.reads.filter((key) => /\/(old|new)\/shard-\d+\/embeddings\.npy$/.test(key))).toEqual([]);
    expect(restarted.newShards).toEqual(gallery.newShards);
    expect(await restarted.indexes.new.size()).toBe(100);
    expect(await restarted.indexes.oldRemaining.size()).toBe(900);
  }, 120_000);
});
