import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { NO_LABEL } from '../../core/backfill/datasets/image-set.ts';
import { evaluateGallery } from '../../core/backfill/gallery/evaluate-gallery.ts';
import { commitGalleryBatch } from '../../core/backfill/gallery/gallery-batch.ts';
import { readGalleryRecord } from '../../core/backfill/gallery/gallery-record.ts';
import { ITEMS_FILE, readShardItems } from '../../core/backfill/gallery/image-shard.ts';
import { galleryKeys } from '../../core/backfill/gallery/keys.ts';
import { searchGallery } from '../../core/backfill/gallery/search/search-gallery.ts';
import { ingestPhotoGallery } from '../../core/backfill/gallery/stream-ingest.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { runBackfill } from '../backfill-pipeline/helpers.ts';
import { exportAndReadBack } from '../export/read-back.ts';
import { tempDir, testRuntime } from '../helpers/runtime.ts';

const MODELS = path.resolve(import.meta.dirname, '../../models/photos');
const cards = { oldCard: path.join(MODELS, 'old.card.json'), newCard: path.join(MODELS, 'new.card.json') };

/** `classes` sub-folders `c-0000`… of `perClass` tiny PNGs each, coloured by class (plus a little per-image noise). */
async function manyClassFolder(classes: number, perClass: number): Promise<string> {
  const dir = await tempDir('classes-');
  for (let c = 0; c < classes; c++) {
    const name = `c-${String(c).padStart(4, '0')}`;
    await mkdir(path.join(dir, name));
    for (let i = 0; i < perClass; i++) {
      const pixels = Buffer.alloc(12 * 12 * 3);
      for (let p = 0; p < 144; p++) {
        pixels[p * 3] = (c * 37 + p * (i + 1)) % 256;
        pixels[p * 3 + 1] = (c * 91) % 256;
        pixels[p * 3 + 2] = (Math.floor(c / 7) * 53 + (p % 12) * 9) % 256;
      }
      await writeFile(path.join(dir, name, `${i}.png`), await sharp(pixels, { raw: { width: 12, height: 12, channels: 3 } }).png().toBuffer());
    }
  }
  return dir;
}

describe('labels of real galleries: any number of classes', () => {
  it('ingests, backfills, searches, exports and evaluates a gallery of 320 classes (labels past 255 stay distinct)', async () => {
    // Prepare
    const dir = await manyClassFolder(320, 3);
    const runtime = await testRuntime();
    const { store } = runtime;
    // Act
    const summary = await ingestPhotoGallery(store, { dataset: dir, galleryId: 'many', ...cards, shardSize: 200, queryFraction: 0.25 });
    await runBackfill(runtime, { gallery: 'many' });
    const report = await evaluateGallery(store, 'many');
    const exported = (await exportAndReadBack(runtime, 'embeddings:many/new', 'jsonl', 'id')).rows;
    // Assess: 320 class names, labels past one byte in the shards, class names of hits match their folder.
    const record = await readGalleryRecord(store, 'many');
    expect(record.classes).toHaveLength(320);
    const labels = new Set<number>();
    for (let s = 0; s < summary.shards; s++) for (const l of (await readShardItems(store, galleryKeys('many').shard('images', s))).labels) labels.add(l);
    expect(Math.max(...labels)).toBeGreaterThan(300);
    expect(labels.has(NO_LABEL)).toBe(false);
    const query = await sharp(path.join(dir, 'c-0310', '0.png')).png().toBuffer();
    const result = await searchGallery(store, 'many', { image: query.toString('base64'), mode: 'rt-merge', k: 10 });
    for (const hit of result.hits) expect(hit.className).toBe(hit.sourceId.split('/')[0]);
    expect(result.hits.some((h) => (h.label ?? 0) > 255)).toBe(true);
    expect(exported).toHaveLength(summary.items);
    for (const row of exported) expect(row.class_name).toBe(String(row.source_id).split('/')[0]);
    expect(report.queryCount).toBeGreaterThan(50);
    expect(report.mAP.new).toBeGreaterThan(0);
    expect(report.mAP.new).toBeLessThanOrEqual(1);
    expect(report.modes['rt-merge'].curve.at(-1)![1]).toBeCloseTo(report.mAP.new, 6);
  }, 240_000);

  it('reads shards written in the one-byte layout (255 = no label) as unlabelled items, and refuses a file with both layouts', async () => {
    // Prepare
    const store = new FileStore(await tempDir());
    const legacy = galleryKeys('old-layout').shard('images', 0);
    await commitGalleryBatch(store, legacy, [{ name: ITEMS_FILE, body: JSON.stringify({ ids: ['g-000000', 'g-000001'], sourceIds: ['a/1.png', '2.png'], labels: [254, 255] }) }], { ingest: 'f' });
    const both = galleryKeys('old-layout').shard('images', 1);
    await commitGalleryBatch(store, both, [{ name: ITEMS_FILE, body: JSON.stringify({ ids: ['g-000002'], sourceIds: ['3.png'], labels: [1], classIds: [1] }) }], { ingest: 'f' });
    // Act
    const items = await readShardItems(store, legacy);
    // Assess
    expect(items.labels).toEqual([254, NO_LABEL]);
    await expect(readShardItems(store, both)).rejects.toThrow(/items\.json.*exactly one of classIds or labels/);
  });
});
