import { beforeEach, describe, expect, it } from 'vitest';
import { createFeatureMatrix, type FeatureMatrix } from '../../core/backfill/features.ts';
import { addItemsFromSource } from '../../core/backfill/gallery/changes/add-from-source.ts';
import { readAddedFeatures, readAddedItems } from '../../core/backfill/gallery/changes/added-batch.ts';
import { readChangeLog, type AddEntry } from '../../core/backfill/gallery/changes/change-log.ts';
import { deleteGalleryItems } from '../../core/backfill/gallery/changes/delete-items.ts';
import { evaluateGallery } from '../../core/backfill/gallery/evaluate-gallery.ts';
import { readGalleryRecord } from '../../core/backfill/gallery/gallery-record.ts';
import { readGalleryState } from '../../core/backfill/gallery/gallery-state.ts';
import { readPsiFit } from '../../core/backfill/gallery/psi-fit.ts';
import { cachedGallery, clearGalleryCache } from '../../core/backfill/gallery/search/gallery-cache.ts';
import { readPairedFeatures } from '../../core/backfill/pipeline/paired-features.ts';
import { fitReverseTransform } from '../../core/backfill/reverse-transform/fit-reverse-transform.ts';
import { exactIndexFactory } from '../../core/backfill/search/index/exact-index.ts';
import { SEARCH_MODES } from '../../core/backfill/search/search-mode.ts';
import type { Store } from '../../core/store/store.ts';
import { tempDir, testRuntime } from '../helpers/runtime.ts';
import { mnistPhotos, searchEveryMode, writePhotos } from './changes-helpers.ts';
import { ingestSmall, runBackfill } from './helpers.ts';

beforeEach(() => clearGalleryCache());

/** 1,000 MNIST items in 4 shards of 250 with an online ψ; shard 0 backfilled, then 30 items added (both spaces). */
async function galleryWithAddsMidBackfill() {
  const runtime = await testRuntime();
  await ingestSmall(runtime.store, { models: { psi: 'online' } });
  await runBackfill(runtime, { gallery: 'mn', maxShards: 1, refitEvery: 1 });
  const photos = await mnistPhotos(69_000, 30);
  const added = await addItemsFromSource(runtime.store, 'mn', await writePhotos(await tempDir(), photos));
  return { runtime, store: runtime.store, photos, added };
}

function stack(a: FeatureMatrix, b: FeatureMatrix): FeatureMatrix {
  const out = new Float32Array(a.data.length + b.data.length);
  out.set(a.data);
  out.set(b.data, a.data.length);
  return createFeatureMatrix(out, a.dim);
}

async function currentFit(store: Store) {
  const state = await readGalleryState(store, 'mn');
  if (state?.psi.source !== 'online') throw new Error(`expected an online ψ, got ${JSON.stringify(state?.psi)}`);
  return { psi: state.psi, fit: await readPsiFit(store, await readGalleryRecord(store, 'mn'), state.psi.batch, 'test') };
}

describe('the online ψ fitted on items added during the backfill', () => {
  it('uses the live added items as pairs beside the backfilled shards, and only them when asked to', async () => {
    // Prepare: one added item deleted before the next wave.
    const { runtime, store, photos, added } = await galleryWithAddsMidBackfill();
    expect(added.spaces).toEqual(['old', 'new']);
    await deleteGalleryItems(store, 'mn', [photos[4].sourceId]);

    // Act: the next wave refits ψ.
    await runBackfill(runtime, { gallery: 'mn', maxShards: 1, refitEvery: 1 });
    const withAdds = await currentFit(store);

    // Assess: 500 backfilled + 29 live added pairs, and the fit is exactly the fit of those pairs.
    expect(withAdds.psi).toMatchObject({ pairs: 529, shards: 2, addedPairs: 29 });
    const record = await readGalleryRecord(store, 'mn');
    const log = await readChangeLog(store, 'mn');
    const add = log.find((e): e is AddEntry => e.kind === 'add')!;
    const shardPairs = await readPairedFeatures(store, record, [0, 1], 100_000);
    const rowIds = (await readAddedItems(store, add.batch)).sourceIds;
    const live = rowIds.flatMap((id, row) => (id === photos[4].sourceId ? [] : [row]));
    expect(live).toHaveLength(29);
    const pick = (m: FeatureMatrix) => createFeatureMatrix(Float32Array.from(live.flatMap((r) => Array.from(m.data.subarray(r * m.dim, (r + 1) * m.dim)))), m.dim);
    const addedNew = pick((await readAddedFeatures(store, record, add, 'new'))!);
    const addedOld = pick((await readAddedFeatures(store, record, add, 'old'))!);
    const expected = fitReverseTransform(stack(shardPairs.new, addedNew), stack(shardPairs.old, addedOld));
    for (let i = 0; i < expected.weights.length; i += 97) expect(withAdds.fit.weights[i]).toBeCloseTo(expected.weights[i], 5);
    const withoutAddsFit = fitReverseTransform(shardPairs.new, shardPairs.old);
    const differs = Array.from(withoutAddsFit.weights).some((w, i) => Math.abs(w - withAdds.fit.weights[i]) > 1e-4);
    expect(differs).toBe(true);
  }, 180_000);

  it('leaves the adds out with psiFromAdds false, as before', async () => {
    // Prepare
    const { runtime, store } = await galleryWithAddsMidBackfill();

    // Act
    await runBackfill(runtime, { gallery: 'mn', maxShards: 1, refitEvery: 1, psiFromAdds: false });
    const { psi } = await currentFit(store);

    // Assess
    expect(psi).toMatchObject({ pairs: 500, shards: 2 });
    expect(psi).not.toHaveProperty('addedPairs');
  }, 180_000);

  it('bounds the pairs by maxPsiPairs over shards and adds together', async () => {
    // Prepare
    const { runtime, store } = await galleryWithAddsMidBackfill();

    // Act
    await runBackfill(runtime, { gallery: 'mn', maxShards: 1, refitEvery: 1, maxPsiPairs: 265 });
    const { psi } = await currentFit(store);

    // Assess: 265 of the 530 pairs, evenly spaced: half of the 30 added.
    expect(psi).toMatchObject({ pairs: 265, shards: 2, addedPairs: 15 });
  }, 180_000);
});

describe('items added after the backfill completed', () => {
  it('have only new-model features: every merged mode finds them, the old mode and the old indexes never hold them, and ψ is not refitted', async () => {
    // Prepare
    const { runtime, store } = await galleryWithAddsMidBackfill();
    await runBackfill(runtime, { gallery: 'mn' });
    const before = await readGalleryState(store, 'mn');
    const late = await mnistPhotos(69_100, 6);

    // Act
    const added = await addItemsFromSource(store, 'mn', await writePhotos(await tempDir(), late));
    await runBackfill(runtime, { gallery: 'mn' });
    const after = await readGalleryState(store, 'mn');
    const results = await searchEveryMode(store, exactIndexFactory, { itemId: late[2].sourceId }, 1000);
    const loaded = await cachedGallery(store, 'mn', { vectorIndex: exactIndexFactory, refreshMs: 0 });
    const evaluation = await evaluateGallery(store, 'mn', { maxQueries: 10 });

    // Assess: stored without old features.
    expect(added.spaces).toEqual(['new']);
    const lateEntry = (await readChangeLog(store, 'mn')).at(-1) as AddEntry;
    expect(await readAddedFeatures(store, await readGalleryRecord(store, 'mn'), lateEntry, 'old')).toBeUndefined();
    expect(after?.psi).toEqual(before?.psi);
    // Searched in the new space by every merged mode; the old mode (old model only) cannot see them.
    for (const mode of SEARCH_MODES.filter((m) => m !== 'old')) {
      expect(results[mode].hits[0], mode).toMatchObject({ sourceId: late[2].sourceId, space: 'new' });
    }
    const lateIds = new Set(late.map((p) => p.sourceId));
    expect(results.old.hits.filter((h) => lateIds.has(h.sourceId))).toEqual([]);
    expect(results.old.hits).toHaveLength(1000);
    expect(await loaded.indexes.new.size()).toBe(1036);
    expect(await loaded.indexes.oldBackfilled.size()).toBe(1030);
    expect(await loaded.indexes.oldRemaining.size()).toBe(0);
    // The eval simulates the whole curve, so it embeds their old features for itself; they count in the gallery.
    expect(evaluation).toMatchObject({ gallerySize: 1036, backfilledFraction: 1 });
  }, 240_000);
});
