import { symlink } from 'node:fs/promises';
import { PNG } from 'pngjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { OnnxEmbedder } from '../../core/backfill/embedder.ts';
import { builtinModelFiles } from '../../core/backfill/eval/evaluate-builtin.ts';
import type { FeatureMatrix } from '../../core/backfill/features.ts';
import { readEmbeddingShard } from '../../core/backfill/gallery/embedding-shard.ts';
import { readImageShard } from '../../core/backfill/gallery/image-shard.ts';
import { galleryKeys } from '../../core/backfill/gallery/keys.ts';
import { clearGalleryCache } from '../../core/backfill/gallery/search/gallery-cache.ts';
import { renderItemPng } from '../../core/backfill/gallery/search/item-png.ts';
import { searchGallery } from '../../core/backfill/gallery/search/search-gallery.ts';
import { embedShard } from '../../core/backfill/pipeline/embed-shard.ts';
import { OnnxTransform } from '../../core/backfill/reverse-transform/onnx-transform.ts';
import { SearchMode } from '../../core/backfill/search/search-mode.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { tempDir, testRuntime } from '../helpers/runtime.ts';
import { ingestSmall, runBackfill } from './helpers.ts';

const k = galleryKeys('mn');
const files = builtinModelFiles('mnist');
const shape = { height: 28, width: 28, channels: 1 };
beforeEach(() => clearGalleryCache());

async function features(file: string, image: Parameters<OnnxEmbedder['embedImages']>[0]): Promise<FeatureMatrix> {
  const embedder = await OnnxEmbedder.load(file);
  const out = await embedder.embedImages(image);
  await embedder.release();
  return out;
}

const dot = (a: FeatureMatrix, b: FeatureMatrix, row: number) => {
  let s = 0;
  for (let j = 0; j < a.dim; j++) s += a.data[j] * b.data[row * b.dim + j];
  return s;
};

describe('search during the backfill', () => {
  it('scores pending shards with old features and backfilled shards with new ones, exactly, in every mode', async () => {
    // Prepare: shards 0 and 1 (items 0–499) backfilled, 2 and 3 not.
    const runtime = await testRuntime();
    await ingestSmall(runtime.store);
    await runBackfill(runtime, { gallery: 'mn', maxShards: 2 });
    const query = await readImageShard(runtime.store, k.shard('queries', 0), shape);
    const one = { ...query, ids: [query.ids[3]], labels: query.labels.subarray(3, 4), pixels: query.pixels.subarray(3 * 784, 4 * 784) };
    const q = { old: await features(files.old, one), new: await features(files.new, one) };
    const psi = await OnnxTransform.load(files.psi);
    const qPsi = await psi.apply(q.new);
    await psi.release();
    const read = (kind: 'old' | 'new', s: number) => readEmbeddingShard(runtime.store, k.shard(kind, s), { rows: 250, dim: 64, model: kind });
    const old = await Promise.all([0, 1, 2, 3].map((s) => read('old', s)));
    const fresh = await Promise.all([0, 1].map((s) => read('new', s)));
    const score = (mode: SearchMode, item: number) => {
      const [s, row] = [Math.floor(item / 250), item % 250];
      const backfilled = s < 2 && mode !== 'old';
      if (backfilled) return dot(q.new, fresh[s].features, row);
      const query = mode === 'old' || mode === 'rank-merge' ? q.old : mode === 'naive' ? q.new : qPsi;
      return dot(query, old[s].features, row);
    };

    for (const mode of Object.values(SearchMode)) {
      // Act
      const result = await searchGallery(runtime.store, 'mn', { itemId: 'q-00003', mode, k: 15 });
      // Assess
      const expected = Array.from({ length: 1000 }, (_, i) => ({ i, s: score(mode, i) })).sort((a, b) => b.s - a.s || a.i - b.i).slice(0, 15);
      expect(result.hits.map((h) => h.id), mode).toEqual(expected.map((e) => `g-${String(e.i).padStart(6, '0')}`));
      result.hits.forEach((h, r) => expect(h.distance).toBeCloseTo(1 - expected[r].s, 5));
      result.hits.forEach((h, r) => expect(h.space).toBe(expected[r].i < 500 && mode !== 'old' ? 'new' : 'old'));
      expect(result).toMatchObject({ mode, backfilledFraction: 0.5, query: { id: 'q-00003', sourceId: query.sourceIds[3], label: query.labels[3] } });
    }
  });

  it('sees shards this process commits at once, even between its store checks', async () => {
    // Prepare
    const runtime = await testRuntime();
    await ingestSmall(runtime.store);
    await runBackfill(runtime, { gallery: 'mn', maxShards: 1 });
    const before = await searchGallery(runtime.store, 'mn', { itemId: 'q-00001' }, { refreshMs: 60_000 });
    // Act
    await runBackfill(runtime, { gallery: 'mn' });
    const after = await searchGallery(runtime.store, 'mn', { itemId: 'q-00001' }, { refreshMs: 60_000 });
    // Assess
    expect(before.backfilledFraction).toBe(0.25);
    expect(after.backfilledFraction).toBe(1);
    expect(after.hits.every((h) => h.space === 'new')).toBe(true);
  });

  it('picks up shards another process committed at its next store check', async () => {
    // Prepare: a second path to the same folder is a store with another URI, like another process's.
    const runtime = await testRuntime();
    await ingestSmall(runtime.store);
    const other = `${await tempDir()}/link`;
    await symlink(runtime.root, other);
    const elsewhere = new FileStore(other);
    const before = await searchGallery(runtime.store, 'mn', { itemId: 'q-00001' }, { refreshMs: 0 });
    // Act
    await embedShard(elsewhere, { gallery: 'mn', shard: 3, executionId: 'other-process', batchSize: 256, intraOpNumThreads: 1 });
    const after = await searchGallery(runtime.store, 'mn', { itemId: 'q-00001' }, { refreshMs: 0 });
    // Assess
    expect(before.backfilledFraction).toBe(0);
    expect(after.backfilledFraction).toBe(0.25);
  });

  it('checks the store in the background, answering from the loaded gallery meanwhile', async () => {
    // Prepare
    const runtime = await testRuntime();
    await ingestSmall(runtime.store);
    const other = `${await tempDir()}/link`;
    await symlink(runtime.root, other);
    await searchGallery(runtime.store, 'mn', { itemId: 'q-00001' });
    await embedShard(new FileStore(other), { gallery: 'mn', shard: 0, executionId: 'other-process', batchSize: 256, intraOpNumThreads: 1 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Act
    const during = await searchGallery(runtime.store, 'mn', { itemId: 'q-00001' }, { refreshMs: 1 });
    let later = during;
    for (let i = 0; i < 200 && later.backfilledFraction === 0; i++) later = await searchGallery(runtime.store, 'mn', { itemId: 'q-00001' }, { refreshMs: 60_000 });
    // Assess
    expect(during.backfilledFraction).toBe(0);
    expect(later.backfilledFraction).toBe(0.25);
  });

  it('finds the same hits for an uploaded PNG as for the stored item it shows', async () => {
    // Prepare
    const runtime = await testRuntime();
    await ingestSmall(runtime.store);
    await runBackfill(runtime, { gallery: 'mn', maxShards: 2 });
    const upload = Buffer.from(await renderItemPng(runtime.store, 'mn', 'q-00007')).toString('base64');
    // Act
    const byUpload = await searchGallery(runtime.store, 'mn', { image: `data:image/png;base64,${upload}`, mode: 'rt-merge', k: 8 });
    const byId = await searchGallery(runtime.store, 'mn', { itemId: 'q-00007', mode: 'rt-merge', k: 8 });
    // Assess
    expect(byUpload.hits).toEqual(byId.hits);
    expect(byUpload.query).toEqual({ id: null, sourceId: null, label: null });
  });

  it('accepts a gallery item or a source id as the query', async () => {
    // Prepare
    const runtime = await testRuntime();
    await ingestSmall(runtime.store);
    await runBackfill(runtime, { gallery: 'mn' });
    const item = await searchGallery(runtime.store, 'mn', { itemId: 'g-000123', k: 3 });
    // Act
    const bySource = await searchGallery(runtime.store, 'mn', { itemId: item.query.sourceId!, k: 3 });
    // Assess
    expect(item.hits[0]).toMatchObject({ id: 'g-000123', space: 'new' });
    expect(item.hits[0].distance).toBeCloseTo(0, 5);
    expect(bySource.hits).toEqual(item.hits);
  });

  it('answers rt-merge with the old model\'s query before any online ψ exists', async () => {
    // Prepare
    const runtime = await testRuntime();
    await ingestSmall(runtime.store, { models: { psi: 'online' } });
    // Act
    const rt = await searchGallery(runtime.store, 'mn', { itemId: 'q-00002', mode: 'rt-merge', k: 10 });
    const old = await searchGallery(runtime.store, 'mn', { itemId: 'q-00002', mode: 'old', k: 10 });
    // Assess
    expect(rt.hits).toEqual(old.hits);
    expect(rt.psi).toMatch(/none yet/);
  });

  it('gives the new model\'s ranking in every merge mode once the backfill is complete', async () => {
    // Prepare
    const runtime = await testRuntime();
    await ingestSmall(runtime.store);
    await runBackfill(runtime, { gallery: 'mn' });
    // Act
    const results = await Promise.all(['naive', 'rank-merge', 'rt-merge'].map((mode) => searchGallery(runtime.store, 'mn', { itemId: 'q-00009', mode: mode as SearchMode, k: 20 })));
    // Assess
    expect(results[1].hits).toEqual(results[0].hits);
    expect(results[2].hits).toEqual(results[0].hits);
  });

  it('renders a stored image as a PNG of its stored pixels', async () => {
    // Prepare
    const runtime = await testRuntime();
    await ingestSmall(runtime.store);
    const shard = await readImageShard(runtime.store, k.shard('images', 1), shape);
    // Act
    const png = PNG.sync.read(Buffer.from(await renderItemPng(runtime.store, 'mn', 'g-000260')));
    // Assess
    expect([png.width, png.height]).toEqual([28, 28]);
    const gray = Uint8Array.from({ length: 784 }, (_, p) => png.data[4 * p]);
    expect(gray).toEqual(shard.pixels.subarray(10 * 784, 11 * 784));
  });
});
