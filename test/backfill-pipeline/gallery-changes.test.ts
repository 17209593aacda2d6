import { CreateVectorBucketCommand, S3VectorsClient } from '@aws-sdk/client-s3vectors';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { s3VectorsIndexFactory } from '../../adapters/s3vectors-index.ts';
import { addItemsFromSource } from '../../core/backfill/gallery/changes/add-from-source.ts';
import { readChangeLog } from '../../core/backfill/gallery/changes/change-log.ts';
import { deleteGalleryItems } from '../../core/backfill/gallery/changes/delete-items.ts';
import { readGalleryStatus } from '../../core/backfill/gallery/gallery-status.ts';
import { cachedGallery, clearGalleryCache } from '../../core/backfill/gallery/search/gallery-cache.ts';
import { renderItemPng } from '../../core/backfill/gallery/search/item-png.ts';
import { exactIndexFactory } from '../../core/backfill/search/index/exact-index.ts';
import { usearchIndexFactory } from '../../core/backfill/search/index/usearch-index.ts';
import type { VectorIndexFactory } from '../../core/backfill/search/index/vector-index.ts';
import { SEARCH_MODES } from '../../core/backfill/search/search-mode.ts';
import { startS3VectorsServer, type S3VectorsServer } from '../fixtures/s3vectors-server.ts';
import { tempDir, testRuntime } from '../helpers/runtime.ts';
import { mnistPhotos, searchEveryMode, writePhotos } from './changes-helpers.ts';
import { countingStore, ingestSmall, runBackfill } from './helpers.ts';

let server: S3VectorsServer;
let client: S3VectorsClient;
beforeAll(async () => {
  server = await startS3VectorsServer();
  client = new S3VectorsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await client.send(new CreateVectorBucketCommand({ vectorBucketName: 'reverie-vectors' }));
});
afterAll(async () => {
  client.destroy();
  await server.close();
});
beforeEach(() => clearGalleryCache());

const adapters: [string, () => VectorIndexFactory][] = [
  ['exact', () => exactIndexFactory],
  ['usearch', () => usearchIndexFactory()],
  ['s3vectors (protocol fixture)', () => s3VectorsIndexFactory(client, `reverie-vectors`)],
];
const K = 20;
const b64 = (png: Uint8Array) => Buffer.from(png).toString('base64');

describe.each(adapters)('a gallery changing during a backfill, on the %s index', (name, make) => {
  it('counts exactly, never returns a deleted item in any mode, finds added ones, and a restarted server agrees', async () => {
    // Prepare: 1,000 MNIST items in 4 shards of 250; shard 0 backfilled. Each adapter gets its own gallery id's indexes.
    const runtime = await testRuntime();
    await ingestSmall(runtime.store);
    const factory = make();
    const store = runtime.store;
    await runBackfill(runtime, { gallery: 'mn', maxShards: 1 });
    // Items deleted: two backfilled (shard 0), two pending (shards 2 and 3); their images are kept to query with.
    const doomed = ['g-000003', 'g-000100', 'g-000600', 'g-000999'];
    const doomedImages = await Promise.all(doomed.map(async (id) => b64(await renderItemPng(store, 'mn', id))));
    const batch1 = await mnistPhotos(69_000, 30);
    const batch2 = await mnistPhotos(69_100, 20);

    // Act: delete, add, backfill a shard, delete an added item, add more, finish the backfill; search in between.
    const deleted1 = await deleteGalleryItems(store, 'mn', doomed.slice(0, 3));
    const added1 = await addItemsFromSource(store, 'mn', await writePhotos(await tempDir(), batch1));
    const midway = await searchEveryMode(store, factory, { image: doomedImages[2] }, K);
    await runBackfill(runtime, { gallery: 'mn', maxShards: 1 });
    const deleted2 = await deleteGalleryItems(store, 'mn', [doomed[3], batch1[0].sourceId]);
    const again = await deleteGalleryItems(store, 'mn', [doomed[0]]);
    const added2 = await addItemsFromSource(store, 'mn', await writePhotos(await tempDir(), batch2));
    const half = await readGalleryStatus(store, 'mn');
    await runBackfill(runtime, { gallery: 'mn' });
    const done = await readGalleryStatus(store, 'mn');

    // Assess: counts.
    expect(deleted1).toMatchObject({ deleted: 3, alreadyDeleted: 0, seq: 0 });
    expect(added1).toMatchObject({ added: 30, alreadyPresent: 0, spaces: ['old', 'new'] });
    expect(added1.changes).toEqual([{ seq: 1, firstItemId: 'g-001000', lastItemId: 'g-001029', count: 30 }]);
    expect(deleted2).toMatchObject({ deleted: 2, seq: 2 });
    expect(again).toMatchObject({ deleted: 0, alreadyDeleted: 1, seq: null });
    // 2 shards backfilled: 500 − 2 deleted there (g-000003, g-000100), plus the 29 + 20 live added items.
    expect(half).toMatchObject({ items: { total: 1000 + 50 - 5, backfilled: 498 + 49 }, changes: { added: 50, deleted: 5, entries: 4 } });
    expect(done).toMatchObject({ status: 'complete', items: { total: 1045, backfilled: 1045 }, shards: { total: 4, backfilled: 4 }, backfilledFraction: 1 });

    // Deleted items: not found by id, and their own images do not find them, in any mode, mid-way or at the end.
    await expect(searchEveryMode(store, factory, { itemId: doomed[1] }, K)).rejects.toThrow(/deleted/);
    await expect(searchEveryMode(store, factory, { itemId: batch1[0].sourceId }, K)).rejects.toThrow(/no item/);
    const gone = new Set([...doomed, 'g-001000']);
    for (const mode of SEARCH_MODES) expect(midway[mode].hits.map((h) => h.id)).not.toContain(doomed[2]);
    for (const image of doomedImages) {
      const results = await searchEveryMode(store, factory, { image }, K);
      for (const mode of SEARCH_MODES) expect(results[mode].hits.filter((h) => gone.has(h.id)), `${name} ${mode}`).toEqual([]);
    }
    // Added items: each finds itself first, in every mode, with its label.
    for (const photo of [batch1[5], batch2[7]]) {
      const results = await searchEveryMode(store, factory, { itemId: photo.sourceId }, K);
      for (const mode of SEARCH_MODES) {
        expect(results[mode].hits[0], `${name} ${mode}`).toMatchObject({ sourceId: photo.sourceId, label: photo.label, className: String(photo.label) });
        expect(results[mode].hits[0].score).toBeGreaterThan(0.999);
      }
    }
    // Every index holds each live item exactly once: nothing duplicated, nothing lost.
    const loaded = await cachedGallery(store, 'mn', { vectorIndex: factory, refreshMs: 0 });
    expect(await loaded.indexes.new.size()).toBe(1045);
    expect(await loaded.indexes.oldBackfilled.size()).toBe(1045);
    expect(await loaded.indexes.oldRemaining.size()).toBe(0);

    // A restarted server (a new process): the same answers; approximate kinds load their indexes without the shards.
    const before = await searchEveryMode(store, factory, { image: doomedImages[0] }, K);
    clearGalleryCache();
    const counting = countingStore(store);
    const after = await searchEveryMode(counting, make(), { image: doomedImages[0] }, K);
    for (const mode of SEARCH_MODES) expect(after[mode].hits.map((h) => h.id)).toEqual(before[mode].hits.map((h) => h.id));
    if (factory.kind !== 'exact') expect(counting.reads.filter((key) => /embeddings\.npy$|changes\/added\/.*\.npy$/.test(key))).toEqual([]);
    // An add after the last snapshot: a new process loads the snapshot and applies only that add, once.
    const late = await mnistPhotos(69_200, 3);
    await addItemsFromSource(store, 'mn', await writePhotos(await tempDir(), late));
    clearGalleryCache();
    const fresh = make();
    const lateHits = await searchEveryMode(store, fresh, { itemId: late[1].sourceId }, K);
    for (const mode of SEARCH_MODES.filter((m) => m !== 'old')) expect(lateHits[mode].hits[0].sourceId, `${name} ${mode}`).toBe(late[1].sourceId);
    const reloaded = await cachedGallery(store, 'mn', { vectorIndex: fresh, refreshMs: 0 });
    expect(reloaded.items.ids).toHaveLength(1053);
    expect(await reloaded.indexes.new.size()).toBe(1048);
  }, 180_000);
});

describe('changes committed at the same time', () => {
  it('take consecutive log entries and item ids, never the same one twice', async () => {
    // Prepare
    const runtime = await testRuntime();
    await ingestSmall(runtime.store);
    const [a, b] = [await mnistPhotos(69_000, 12), await mnistPhotos(69_100, 12)];
    const [dirA, dirB] = [await writePhotos(await tempDir(), a), await writePhotos(await tempDir(), b)];
    let lost = 0;
    const store = Object.assign(Object.create(runtime.store), {
      uri: runtime.store.uri,
      putIfAbsent: async (key: string, body: string | Uint8Array) => {
        const created = await runtime.store.putIfAbsent(key, body);
        if (!created && key.includes('/changes/log/')) lost++;
        return created;
      },
    }) as typeof runtime.store;
    // Act: two adds and two deletes racing for the next entry.
    const [addA, addB, delA, delB] = await Promise.all([
      addItemsFromSource(store, 'mn', dirA), addItemsFromSource(store, 'mn', dirB),
      deleteGalleryItems(store, 'mn', ['g-000001', 'g-000002']), deleteGalleryItems(store, 'mn', ['g-000002', 'g-000003']),
    ]);
    const log = await readChangeLog(runtime.store, 'mn');
    const status = await readGalleryStatus(runtime.store, 'mn');
    // Assess
    expect(lost).toBeGreaterThan(0);
    expect(log.map((e) => e.seq)).toEqual([0, 1, 2, 3]);
    const adds = log.filter((e) => e.kind === 'add').map((e) => (e.kind === 'add' ? [e.firstIndex, e.count] : []));
    expect(adds.map(([first]) => first).sort()).toEqual([1000, 1012]);
    expect(addA.added + addB.added).toBe(24);
    expect(delA.deleted + delB.deleted).toBe(3);
    expect(delA.alreadyDeleted + delB.alreadyDeleted).toBe(1);
    expect(status.items.total).toBe(1000 + 24 - 3);
    const gallery = await cachedGallery(runtime.store, 'mn', { refreshMs: 0 });
    expect(new Set(gallery.items.ids).size).toBe(1024);
    expect(await gallery.indexes.new.size()).toBe(24);
    expect(await gallery.indexes.oldRemaining.size()).toBe(1000 - 3);
  }, 60_000);
});
