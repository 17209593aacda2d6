import { beforeEach, describe, expect, it } from 'vitest';
import { OnnxEmbedder } from '../../core/backfill/embedder.ts';
import { averagePrecision } from '../../core/backfill/eval/average-precision.ts';
import { builtinModelFiles } from '../../core/backfill/eval/evaluate-builtin.ts';
import { addItemsFromSource } from '../../core/backfill/gallery/changes/add-from-source.ts';
import { readAddedFeatures } from '../../core/backfill/gallery/changes/added-batch.ts';
import { deleteGalleryItems } from '../../core/backfill/gallery/changes/delete-items.ts';
import { evaluateGallery } from '../../core/backfill/gallery/evaluate-gallery.ts';
import { readEmbeddingShard } from '../../core/backfill/gallery/embedding-shard.ts';
import { readImageShard } from '../../core/backfill/gallery/image-shard.ts';
import { galleryKeys } from '../../core/backfill/gallery/keys.ts';
import { clearGalleryCache } from '../../core/backfill/gallery/search/gallery-cache.ts';
import { loadGallery } from '../../core/backfill/gallery/search/loaded-gallery.ts';
import { readPairedFeatures } from '../../core/backfill/pipeline/paired-features.ts';
import { tempDir, testRuntime } from '../helpers/runtime.ts';
import { mnistPhotos, writePhotos } from './changes-helpers.ts';
import { ingestSmall, runBackfill } from './helpers.ts';

beforeEach(() => clearGalleryCache());

describe('evaluating a gallery that changed during the backfill', () => {
  it('leaves deleted items out and counts added labelled ones, matching a brute-force mAP', async () => {
    // Prepare: half backfilled; every item of digit 3 deleted, then 20 new photos of digit 3 added.
    const runtime = await testRuntime();
    const store = runtime.store;
    await ingestSmall(store);
    await runBackfill(runtime, { gallery: 'mn', maxShards: 2 });
    const before = await evaluateGallery(store, 'mn');
    const threes = (await loadGallery(store, 'mn')).items.labels.reduce<string[]>((ids, l, i) => (l === 3 ? [...ids, `g-${String(i).padStart(6, '0')}`] : ids), []);
    await deleteGalleryItems(store, 'mn', threes);
    const without = await evaluateGallery(store, 'mn');
    const photos = (await mnistPhotos(69_000, 300)).filter((p) => p.label === 3).slice(0, 20);
    await addItemsFromSource(store, 'mn', await writePhotos(await tempDir(), photos));

    // Act
    const after = await evaluateGallery(store, 'mn');

    // Assess: items and queries follow the changes.
    const queryThrees = (await readImageShard(store, galleryKeys('mn').shard('queries', 0), { height: 28, width: 28, channels: 1 })).labels.filter((l) => l === 3).length;
    expect(queryThrees).toBeGreaterThan(0);
    expect(before).toMatchObject({ gallerySize: 1000, queryCount: 40, backfilledFraction: 0.5 });
    expect(without).toMatchObject({ gallerySize: 1000 - threes.length, queryCount: 40 - queryThrees });
    expect(after).toMatchObject({ gallerySize: 1000 - threes.length + 20, queryCount: 40 });
    // The old model's mAP equals a brute-force one over the live items' stored old features and the added ones'.
    const gallery = await loadGallery(store, 'mn');
    const rows: Float32Array[] = [], labels: number[] = [];
    for (let s = 0; s < 4; s++) {
      const { features } = await readEmbeddingShard(store, galleryKeys('mn').shard('old', s), { rows: 250, dim: 64, model: 'old' });
      for (let r = 0; r < 250; r++) if (!gallery.membership.deleted[s * 250 + r]) { rows.push(features.data.subarray(r * 64, (r + 1) * 64)); labels.push(gallery.items.labels[s * 250 + r]); }
    }
    const added = (await readAddedFeatures(store, gallery.record, gallery.membership.adds[0], 'old'))!;
    for (let r = 0; r < 20; r++) { rows.push(added.data.subarray(r * 64, (r + 1) * 64)); labels.push(3); }
    const queries = await readImageShard(store, galleryKeys('mn').shard('queries', 0), gallery.record.image);
    const embedder = await OnnxEmbedder.load(builtinModelFiles('mnist').old);
    const q = await embedder.embedImages(queries);
    await embedder.release();
    let sum = 0;
    for (let i = 0; i < queries.ids.length; i++) {
      const scores = Float32Array.from(rows, (row) => row.reduce((s, v, j) => s + v * q.data[i * 64 + j], 0));
      sum += averagePrecision(scores, Uint8Array.from(labels), queries.labels[i]).averagePrecision;
    }
    expect(after.mAP.old).toBeCloseTo(sum / queries.ids.length, 4);
    expect(after.modes.old.curve.every(([, mAP]) => mAP === after.mAP.old)).toBe(true);
    expect(after.modes['rt-merge'].curve.at(-1)![1]).toBeCloseTo(after.mAP.new, 6);
    expect(after.modes['rt-merge'].auc).toBeGreaterThan(0.5);
  }, 120_000);

  it('fits the online ψ on the backfilled items that are still there', async () => {
    // Prepare: two shards backfilled, five of their items deleted.
    const runtime = await testRuntime();
    await ingestSmall(runtime.store);
    await runBackfill(runtime, { gallery: 'mn', maxShards: 2 });
    await deleteGalleryItems(runtime.store, 'mn', ['g-000000', 'g-000007', 'g-000249', 'g-000250', 'g-000499']);
    const gallery = await loadGallery(runtime.store, 'mn');
    // Act
    const pairs = await readPairedFeatures(runtime.store, gallery.record, [0, 1], 10_000, gallery.membership.deleted);
    // Assess
    expect(pairs.new.rows).toBe(495);
    expect(pairs.old.rows).toBe(495);
  }, 60_000);
});
