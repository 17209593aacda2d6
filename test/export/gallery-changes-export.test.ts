import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addItemsFromSource } from '../../core/backfill/gallery/changes/add-from-source.ts';
import { readAddedFeatures, readAddedItems } from '../../core/backfill/gallery/changes/added-batch.ts';
import { readChangeLog, type AddEntry } from '../../core/backfill/gallery/changes/change-log.ts';
import { deleteGalleryItems } from '../../core/backfill/gallery/changes/delete-items.ts';
import { readEmbeddingShard } from '../../core/backfill/gallery/embedding-shard.ts';
import { readGalleryRecord } from '../../core/backfill/gallery/gallery-record.ts';
import { readShardItems } from '../../core/backfill/gallery/image-shard.ts';
import { galleryKeys, galleryItemId } from '../../core/backfill/gallery/keys.ts';
import { ingestPhotoGallery } from '../../core/backfill/gallery/stream-ingest.ts';
import { embedShard } from '../../core/backfill/pipeline/embed-shard.ts';
import type { Store } from '../../core/store/store.ts';
import { mnistPhotos, writePhotos } from '../backfill-pipeline/changes-helpers.ts';
import { ingestSmall } from '../backfill-pipeline/helpers.ts';
import { writePhotoFolder } from '../fixtures/photo-set.ts';
import { tempDir, testRuntime } from '../helpers/runtime.ts';
import { exportAndReadBack, TABULAR_FORMATS } from './read-back.ts';

type Expected = { id: string; source_id: string; class_name: string | null; shard: number | null; added_in: number | null; embedding: number[] };
const byId = (a: { id: unknown }, b: { id: unknown }) => String(a.id).localeCompare(String(b.id));

/** The rows of one committed embedding shard as stated by the test: ids, source ids and classes from the shard itself. */
async function shardRows(store: Store, gallery: string, model: 'old' | 'new', shard: number, rows: number, names: Map<string, { sourceId: string; className: string }>): Promise<Expected[]> {
  const record = await readGalleryRecord(store, gallery);
  const { features, ids } = await readEmbeddingShard(store, galleryKeys(gallery).shard(model, shard), { rows, dim: record.models[model].dim, model });
  return ids.map((id, i) => ({
    id, source_id: names.get(id)!.sourceId, class_name: names.get(id)!.className, shard, added_in: null,
    embedding: Array.from(features.data.subarray(i * features.dim, (i + 1) * features.dim)),
  }));
}

describe('exporting the embeddings of a gallery that changed, read back with DuckDB', () => {
  it.each(TABULAR_FORMATS)('writes exactly the live items, added ones with their embedding and source id, deleted ones left out (%s)', async (format) => {
    // Prepare: 60 MNIST items in shards of 25, shard 0 backfilled; 4 deleted (2 backfilled, 2 pending), 6 photos added, 1 of them deleted.
    const runtime = await testRuntime();
    const store = runtime.store;
    await ingestSmall(store, { maxItems: 60, maxQueries: 5, shardSize: 25 });
    await embedShard(store, { gallery: 'mn', shard: 0, executionId: 't', batchSize: 64, intraOpNumThreads: 1 });
    const record = await readGalleryRecord(store, 'mn');
    // Sorted as the folder lists them, the order an add takes them in.
    const photos = (await mnistPhotos(69_000, 6)).sort((a, b) => a.sourceId.localeCompare(b.sourceId));
    await deleteGalleryItems(store, 'mn', ['g-000003', 'g-000010', 'g-000030', 'g-000059']);
    await addItemsFromSource(store, 'mn', await writePhotos(await tempDir(), photos));
    await deleteGalleryItems(store, 'mn', [photos[2].sourceId]);
    const log = await readChangeLog(store, 'mn');
    const add = log.find((e): e is AddEntry => e.kind === 'add')!;
    expect(add).toMatchObject({ firstIndex: 60, count: 6 });
    expect(add.spaces).toContain('old');
    const deleted = new Set(['g-000003', 'g-000010', 'g-000030', 'g-000059', galleryItemId(62)]);
    // Ingested items' source ids and classes, from the builtin sample's image shards read the ordinary way.
    const names = new Map<string, { sourceId: string; className: string }>();
    for (let s = 0; s < 3; s++) {
      const items = await readShardItems(store, galleryKeys('mn').shard('images', s));
      items.ids.forEach((id, i) => names.set(id, { sourceId: items.sourceIds[i], className: record.classes[items.labels[i]] }));
    }
    const addedItems = await readAddedItems(store, add.batch);
    expect(addedItems.sourceIds).toEqual(photos.map((p) => p.sourceId));
    const added = async (model: 'old' | 'new'): Promise<Expected[]> => {
      const features = (await readAddedFeatures(store, record, add, model))!;
      return photos.map((p, i) => ({
        id: galleryItemId(60 + i), source_id: p.sourceId, class_name: String(p.label), shard: null, added_in: add.seq,
        embedding: Array.from(features.data.subarray(i * features.dim, (i + 1) * features.dim)),
      }));
    };
    const expectedOld = [
      ...(await shardRows(store, 'mn', 'old', 0, 25, names)), ...(await shardRows(store, 'mn', 'old', 1, 25, names)),
      ...(await shardRows(store, 'mn', 'old', 2, 10, names)), ...(await added('old')),
    ].filter((r) => !deleted.has(r.id)).sort(byId);
    const expectedNew = [...(await shardRows(store, 'mn', 'new', 0, 25, names)), ...(await added('new'))].filter((r) => !deleted.has(r.id)).sort(byId);

    // Act
    const old = await exportAndReadBack(runtime, 'embeddings:mn/old', format, 'id');
    const next = await exportAndReadBack(runtime, 'embeddings:mn/new', format, 'id');

    // Assess: 60 + 6 − 5 live items in the old space; the new space holds backfilled shard 0 (23 live) and the 5 live adds.
    expect(old.rows).toHaveLength(61);
    expect(old.rows.map((r) => r.id)).toEqual(expectedOld.map((r) => r.id));
    expect(old.rows).toEqual(expectedOld);
    expect(next.rows).toHaveLength(28);
    expect(next.rows).toEqual(expectedNew);
    expect(old.rows.some((r) => deleted.has(String(r.id)))).toBe(false);
    if (format === 'hf') {
      const card = await readFile(path.join(old.dir, 'README.md'), 'utf8');
      expect(card).toContain(`as of change log entry ${log[log.length - 1].seq} (${log.length} changes)`);
      expect(card).toMatch(/\| lastChange \| 2 \|/);
      expect(card).toMatch(/\| deleted \| 5 \|/);
    }
  });

  it.each(TABULAR_FORMATS)('a streamed photo gallery\'s export carries each photo\'s source id and class (%s)', async (format) => {
    // Prepare: 12 generated photos streamed into shards of 5; one deleted by its source id.
    const runtime = await testRuntime();
    const store = runtime.store;
    const dir = await tempDir('photos-');
    const photos = await writePhotoFolder(dir, { count: 12, seed: 5 });
    const models = path.resolve(import.meta.dirname, '../../models/photos');
    await ingestPhotoGallery(store, { dataset: dir, galleryId: 'ph', oldCard: path.join(models, 'old.card.json'), newCard: path.join(models, 'new.card.json'), shardSize: 5, queryFraction: 0 });
    const record = await readGalleryRecord(store, 'ph');
    expect(record.source.kind).toBe('stream');
    const names = new Map<string, { sourceId: string; className: string }>();
    const label = new Map(photos.map((p) => [p.sourceId, p.label]));
    for (let s = 0; s < 3; s++) {
      const items = await readShardItems(store, galleryKeys('ph').shard('images', s));
      items.ids.forEach((id, i) => names.set(id, { sourceId: items.sourceIds[i], className: label.get(items.sourceIds[i])! }));
    }
    const doomed = [...names.values()][4].sourceId;
    await deleteGalleryItems(store, 'ph', [doomed]);
    const expected = [
      ...(await shardRows(store, 'ph', 'old', 0, 5, names)), ...(await shardRows(store, 'ph', 'old', 1, 5, names)), ...(await shardRows(store, 'ph', 'old', 2, 2, names)),
    ].filter((r) => r.source_id !== doomed).sort(byId);

    // Act
    const { rows } = await exportAndReadBack(runtime, 'embeddings:ph/old', format, 'id');

    // Assess: every photo but the deleted one, by its source path and folder class.
    expect(rows).toHaveLength(11);
    expect(new Set(rows.map((r) => r.source_id))).toEqual(new Set(photos.map((p) => p.sourceId).filter((s) => s !== doomed)));
    expect(rows).toEqual(expected);
  });
});
