import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBuiltinDataset } from '../../core/backfill/datasets/builtin.ts';
import { splitImageSet } from '../../core/backfill/datasets/split.ts';
import { OnnxEmbedder } from '../../core/backfill/embedder.ts';
import { builtinModelFiles } from '../../core/backfill/eval/evaluate-builtin.ts';
import { readEmbeddingShard } from '../../core/backfill/gallery/embedding-shard.ts';
import { readGalleryRecord } from '../../core/backfill/gallery/gallery-record.ts';
import { readGalleryStatus } from '../../core/backfill/gallery/gallery-status.ts';
import { readImageShard } from '../../core/backfill/gallery/image-shard.ts';
import { ingestGallery } from '../../core/backfill/gallery/ingest.ts';
import { galleryKeys } from '../../core/backfill/gallery/keys.ts';
import { ConflictError } from '../../core/errors.ts';
import { decodeNpy } from '../../core/store/npy.ts';
import { tempDir, testRuntime } from '../helpers/runtime.ts';
import { ingestSmall, keys, writeImageFolder } from './helpers.ts';

const mnist = await loadBuiltinDataset('mnist');
const split = splitImageSet(mnist);
const shape = { height: 28, width: 28, channels: 1 };
const folders: string[] = [];
afterAll(async () => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));

describe('gallery ingest', () => {
  it('shards a built-in dataset\'s gallery with ids, labels, held-out queries and the old-model index', async () => {
    // Prepare
    const { store } = await testRuntime();
    const k = galleryKeys('mn');

    // Act
    const summary = await ingestSmall(store, { maxItems: 600 });

    // Assess
    expect(summary).toMatchObject({ gallery: 'mn', created: true, items: 600, queries: 40, shards: 3, shardSize: 250, dims: { old: 64, new: 64 }, psi: 'trained' });
    const shards = await Promise.all([0, 1, 2].map((s) => readImageShard(store, k.shard('images', s), shape)));
    expect(shards.map((s) => s.ids.length)).toEqual([250, 250, 100]);
    expect(shards[2].ids[0]).toBe('g-000500');
    const byId = new Map(mnist.ids.map((id, i) => [id, i]));
    const galleryIds = new Set(Array.from(split.gallery, (i) => mnist.ids[i]));
    for (const shard of shards) {
      shard.sourceIds.forEach((source, row) => {
        const i = byId.get(source)!;
        expect(galleryIds.has(source)).toBe(true);
        expect(shard.labels[row]).toBe(mnist.labels[i]);
        expect(shard.pixels.subarray(row * 784, (row + 1) * 784)).toEqual(mnist.pixels.subarray(i * 784, (i + 1) * 784));
      });
    }
    const queries = await readImageShard(store, k.shard('queries', 0), shape);
    expect(queries.ids[0]).toBe('q-00000');
    expect(queries.sourceIds.some((id) => galleryIds.has(id))).toBe(false);
    const old = await readEmbeddingShard(store, k.shard('old', 1), { rows: 250, dim: 64, model: 'old' });
    const embedder = await OnnxEmbedder.load(builtinModelFiles('mnist').old);
    const expected = await embedder.embedImages(shards[1]);
    await embedder.release();
    expect(Array.from(old.features.data.subarray(0, 64))).toEqual(Array.from(expected.data.subarray(0, 64)));
    expect(old.ids).toEqual(shards[1].ids);
    expect(await readGalleryStatus(store, 'mn')).toMatchObject({ status: 'ingested', model: 'old', items: { total: 600, backfilled: 0 }, shards: { total: 3, backfilled: 0 } });
  });

  it('deals items into shards in a seeded random order, so every shard mixes the classes', async () => {
    // Prepare
    const { store } = await testRuntime();
    // Act
    await ingestSmall(store, { maxItems: 500 });
    // Assess
    const first = await readImageShard(store, galleryKeys('mn').shard('images', 0), shape);
    expect(new Set(first.labels).size).toBe(10);
  });

  it('writes .npy shards that numpy\'s format reads: float32 little-endian [rows, dim]', async () => {
    // Prepare
    const { store } = await testRuntime();
    await ingestSmall(store, { maxItems: 250 });
    // Act
    const { shape: npyShape, data } = decodeNpy(await store.get(`${galleryKeys('mn').shard('old', 0)}/embeddings.npy`));
    // Assess
    expect(npyShape).toEqual([250, 64]);
    let norm = 0;
    for (let j = 0; j < 64; j++) norm += data[j] ** 2;
    expect(norm).toBeCloseTo(1, 5);
  });

  it('changes nothing when the same ingest runs again', async () => {
    // Prepare
    const { store } = await testRuntime();
    await ingestSmall(store, { maxItems: 500 });
    const before = await keys(store, 'backfill/');
    const manifest = await store.get(`${galleryKeys('mn').shard('old', 0)}/_manifest.json`);
    // Act
    const again = await ingestSmall(store, { maxItems: 500 });
    // Assess
    expect(again.created).toBe(false);
    expect(await keys(store, 'backfill/')).toEqual(before);
    expect(await store.get(`${galleryKeys('mn').shard('old', 0)}/_manifest.json`)).toEqual(manifest);
  });

  it('refuses a different ingest under an existing gallery id and leaves the gallery as it was', async () => {
    // Prepare
    const { store } = await testRuntime();
    await ingestSmall(store, { maxItems: 500 });
    const record = await store.get(galleryKeys('mn').record);
    // Act
    const attempt = ingestSmall(store, { maxItems: 500, shardSize: 100 });
    // Assess
    await expect(attempt).rejects.toThrow(ConflictError);
    await expect(attempt).rejects.toThrow(/gallery "mn" already exists with a different shardSize/);
    expect(await store.get(galleryKeys('mn').record)).toEqual(record);
  });

  it('can hold every image of a built-in dataset in the gallery (--split all)', async () => {
    // Prepare
    const { store } = await testRuntime();
    const train = new Set(Array.from(split.train, (i) => mnist.ids[i]));
    // Act
    const summary = await ingestGallery(store, { dataset: 'mnist', split: 'all', maxItems: 300, maxQueries: 5, shardSize: 300 });
    // Assess
    expect(summary.gallery).toBe('mnist-all');
    const shard = await readImageShard(store, galleryKeys('mnist-all').shard('images', 0), shape);
    expect(shard.sourceIds.filter((id) => train.has(id)).length).toBeGreaterThan(150);
    expect((await readGalleryRecord(store, 'mnist-all')).source).toEqual({ kind: 'builtin', dataset: 'mnist', split: 'all' });
  });

  it('ingests a folder of images, labelling each by its sub-folder and holding queries out', async () => {
    // Prepare
    const { store } = await testRuntime();
    const dir = await tempDir('reverie-folder-');
    folders.push(dir);
    await writeImageFolder(dir, ['boots', 'shirts'], 20);
    const models = { old: builtinModelFiles('mnist').old, new: builtinModelFiles('mnist').new };
    // Act
    const summary = await ingestGallery(store, { dataset: dir, models, shardSize: 16, queryFraction: 0.1 });
    // Assess
    const id = path.basename(dir).toLowerCase().replace(/[^a-z0-9-]+/g, '-');
    expect(summary).toMatchObject({ gallery: id, items: 36, queries: 4, shards: 3, psi: 'online' });
    const record = await readGalleryRecord(store, id);
    expect(record.classes).toEqual(['boots', 'shirts']);
    const items = await readImageShard(store, galleryKeys(id).shard('images', 0), shape);
    items.sourceIds.forEach((source, row) => expect(items.labels[row]).toBe(source.startsWith('boots/') ? 0 : 1));
  });
});
