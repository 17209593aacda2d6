import { rm } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readManifest } from '../../core/store/batch.ts';
import { deleteGalleryItems } from '../../core/backfill/gallery/changes/delete-items.ts';
import { readEmbeddingShard } from '../../core/backfill/gallery/embedding-shard.ts';
import { readGalleryStatus } from '../../core/backfill/gallery/gallery-status.ts';
import { readShardItems } from '../../core/backfill/gallery/image-shard.ts';
import { galleryKeys } from '../../core/backfill/gallery/keys.ts';
import { clearGalleryCache } from '../../core/backfill/gallery/search/gallery-cache.ts';
import { searchGallery } from '../../core/backfill/gallery/search/search-gallery.ts';
import { ingestPhotoGallery } from '../../core/backfill/gallery/stream-ingest.ts';
import { writePhotoFolder } from '../fixtures/photo-set.ts';
import { tempDir, testRuntime } from '../helpers/runtime.ts';
import { ingestSmall, runBackfill } from './helpers.ts';

const MODELS = path.resolve(import.meta.dirname, '../../models/photos');
beforeEach(() => clearGalleryCache());

const isZero = (row: Float32Array) => row.every((v) => v === 0);

describe('items deleted before their shard is backfilled', () => {
  it('are not embedded by the shard step of a stored-image gallery, and the counts stay exact', async () => {
    // Prepare: 1,000 MNIST items in 4 shards; three deleted before any backfill (two in shard 0, one in shard 3).
    const runtime = await testRuntime();
    const { store } = runtime;
    await ingestSmall(store);
    await deleteGalleryItems(store, 'mn', ['g-000010', 'g-000011', 'g-000900']);
    // Act
    await runBackfill(runtime, { gallery: 'mn' });
    // Assess: their rows are zeros (nothing embedded), the rest are unit vectors; the manifest counts the skip.
    const shard0 = await readEmbeddingShard(store, galleryKeys('mn').shard('new', 0), { rows: 250, dim: 64, model: 'new' });
    const row = (r: number) => shard0.features.data.subarray(r * 64, (r + 1) * 64);
    expect(isZero(row(10)) && isZero(row(11))).toBe(true);
    expect([0, 9, 12, 249].every((r) => Math.abs(row(r).reduce((s, v) => s + v * v, 0) - 1) < 1e-4)).toBe(true);
    expect((await readManifest(store, galleryKeys('mn').shard('new', 0)))?.meta).toMatchObject({ skipped: 2 });
    expect((await readManifest(store, galleryKeys('mn').shard('new', 1)))?.meta).toMatchObject({ skipped: 0 });
    expect((await readManifest(store, galleryKeys('mn').shard('new', 3)))?.meta).toMatchObject({ skipped: 1 });
    const status = await readGalleryStatus(store, 'mn');
    expect(status).toMatchObject({ status: 'complete', items: { total: 997, backfilled: 997 }, backfilledFraction: 1 });
    const hits = (await searchGallery(store, 'mn', { itemId: 'q-00000', mode: 'rt-merge', k: 1000 })).hits.map((h) => h.id);
    expect(hits).toHaveLength(997);
    expect(hits).not.toContain('g-000010');
  }, 120_000);

  it('are not read from the source by the shard step of a photo gallery (a deleted photo whose file is gone backfills fine)', async () => {
    // Prepare: a photo gallery; one item deleted and its file removed from the source before the backfill.
    const dir = await tempDir('photos-');
    await writePhotoFolder(dir, { count: 20, seed: 8, minSide: 32, maxSide: 96 });
    const runtime = await testRuntime();
    const { store } = runtime;
    await ingestPhotoGallery(store, { dataset: dir, galleryId: 'ph', oldCard: path.join(MODELS, 'old.card.json'), newCard: path.join(MODELS, 'new.card.json'), shardSize: 10, queryFraction: 0 });
    const doomed = (await readShardItems(store, galleryKeys('ph').shard('images', 1))).sourceIds[4];
    await deleteGalleryItems(store, 'ph', [doomed]);
    await rm(path.join(dir, doomed));
    // Act
    const execution = await runBackfill(runtime, { gallery: 'ph' });
    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(await readGalleryStatus(store, 'ph')).toMatchObject({ status: 'complete', items: { total: 19, backfilled: 19 } });
    expect((await readManifest(store, galleryKeys('ph').shard('new', 1)))?.meta).toMatchObject({ skipped: 1 });
  }, 120_000);
});
