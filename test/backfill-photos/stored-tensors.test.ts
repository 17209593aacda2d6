import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deleteGalleryItems } from '../../core/backfill/gallery/changes/delete-items.ts';
import { readEmbeddingShard } from '../../core/backfill/gallery/embedding-shard.ts';
import { readGalleryRecord } from '../../core/backfill/gallery/gallery-record.ts';
import { readShardItems } from '../../core/backfill/gallery/image-shard.ts';
import { galleryItemId, galleryKeys } from '../../core/backfill/gallery/keys.ts';
import { encodeStoredTensors, readStoredTensors, TENSORS_FILE } from '../../core/backfill/gallery/stored-tensors.ts';
import { ingestPhotoGallery } from '../../core/backfill/gallery/stream-ingest.ts';
import { embedShard } from '../../core/backfill/pipeline/embed-shard.ts';
import { readManifest } from '../../core/store/batch.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { writePhotoFolder } from '../fixtures/photo-set.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/runtime.ts';

const MODELS = path.resolve(import.meta.dirname, '../../models/photos');
const cards = { oldCard: path.join(MODELS, 'old.card.json'), newCard: path.join(MODELS, 'new.card.json') };
const SHARD = 16;

/** A small folder of mixed photos (JPEG, PNG, WebP of mixed sizes, four classes). */
async function photos(count: number): Promise<string> {
  const dir = await tempDir('photos-');
  await writePhotoFolder(dir, { count, seed: 14 });
  return dir;
}

const step = (gallery: string, shard: number) => ({ gallery, shard, executionId: 't', batchSize: 64, intraOpNumThreads: 1 });

async function newFeatures(store: FileStore, gallery: string, shard: number, rows: number) {
  return readEmbeddingShard(store, galleryKeys(gallery).shard('new', shard), { rows, dim: 48, model: 'new' });
}

describe('stored tensors in a streamed photo gallery (--store-tensors)', () => {
  it('embeds from the stored tensors exactly as from the source, bit for bit, and says which in record and manifests', async () => {
    // Prepare: one folder ingested twice, with and without stored tensors (same seed: the same items in the same shards)
    const dir = await photos(40);
    const store = new FileStore(await tempDir());
    const plain = await ingestPhotoGallery(store, { dataset: dir, galleryId: 'src', ...cards, shardSize: SHARD, queryFraction: 0.1 });
    const stored = await ingestPhotoGallery(store, { dataset: dir, galleryId: 'ten', ...cards, shardSize: SHARD, queryFraction: 0.1, storeTensors: true });
    expect(stored.items).toBe(plain.items);
    // Act
    for (let s = 0; s < plain.shards; s++) {
      await embedShard(store, step('src', s));
      await embedShard(store, step('ten', s));
    }
    // Assess
    for (let s = 0; s < plain.shards; s++) {
      const rows = Math.min(SHARD, plain.items - s * SHARD);
      const [a, b] = [await newFeatures(store, 'src', s, rows), await newFeatures(store, 'ten', s, rows)];
      expect(Buffer.from(b.features.data.buffer).equals(Buffer.from(a.features.data.buffer))).toBe(true);
      expect(b.ids).toEqual(a.ids);
      expect((await readManifest(store, galleryKeys('ten').shard('new', s)))?.meta.input).toBe('stored-tensors');
      expect((await readManifest(store, galleryKeys('src').shard('new', s)))?.meta.input).toBe('source');
    }
    expect((await readGalleryRecord(store, 'ten')).storedTensors).toBe('new');
    expect((await readGalleryRecord(store, 'src')).storedTensors).toBeUndefined();
    const tenImages = await readManifest(store, galleryKeys('ten').shard('images', 0));
    expect(tenImages?.meta.tensors).toBe('new');
    expect(tenImages?.objects.find((o) => o.name === TENSORS_FILE)?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await readManifest(store, galleryKeys('src').shard('images', 0)))?.objects.map((o) => o.name)).not.toContain(TENSORS_FILE);
    expect(await store.head(`${galleryKeys('ten').shard('queries', 0)}/${TENSORS_FILE}`)).toBeUndefined();
  });

  it('backfills after the source folder is removed, still skipping deleted items; without the option it fails naming the object', async () => {
    // Prepare
    const dir = await photos(20);
    const store = new FileStore(await tempDir());
    await ingestPhotoGallery(store, { dataset: dir, galleryId: 'ten', ...cards, shardSize: SHARD, queryFraction: 0, storeTensors: true });
    await ingestPhotoGallery(store, { dataset: dir, galleryId: 'src', ...cards, shardSize: SHARD, queryFraction: 0 });
    await deleteGalleryItems(store, 'ten', [galleryItemId(3)]);
    const [first] = (await readShardItems(store, galleryKeys('src').shard('images', 0))).sourceIds;
    // Act
    await rm(dir, { recursive: true, force: true });
    const result = await embedShard(store, step('ten', 0));
    // Assess
    expect(result).toMatchObject({ items: SHARD, skipped: 1, reused: false });
    const { features } = await newFeatures(store, 'ten', 0, SHARD);
    expect(Array.from(features.data.subarray(3 * 48, 4 * 48)).every((v) => v === 0)).toBe(true);
    expect(Array.from(features.data.subarray(2 * 48, 3 * 48)).some((v) => v !== 0)).toBe(true);
    await expect(embedShard(store, step('src', 0))).rejects.toThrow(new RegExp(first.replace('.', '\\.')));
    expect(await store.head(`${galleryKeys('src').shard('new', 0)}/embeddings.npy`)).toBeUndefined();
  });

  it('refuses to embed a shard whose stored tensors were altered after ingest (checksummed like the other shard files)', async () => {
    const dir = await photos(12);
    const store = new FileStore(await tempDir());
    await ingestPhotoGallery(store, { dataset: dir, galleryId: 'ten', ...cards, shardSize: SHARD, queryFraction: 0, storeTensors: true });
    const entry = (await readManifest(store, galleryKeys('ten').shard('images', 0)))!.objects.find((o) => o.name === TENSORS_FILE)!;
    const bytes = await store.get(entry.key);
    bytes[bytes.length - 1] ^= 0xff;
    await store.put(entry.key, bytes);
    await expect(embedShard(store, step('ten', 0))).rejects.toThrow(new RegExp(`${entry.key}" does not match its manifest`));
    expect(await store.head(`${galleryKeys('ten').shard('new', 0)}/embeddings.npy`)).toBeUndefined();
  });

  it('refuses a stored tensors file of the wrong shape or dtype, naming it', async () => {
    const store = new FileStore(await tempDir());
    const card = { input: { height: 2, width: 2, layout: 'NHWC', dtype: 'uint8' }, channels: 3 } as Parameters<typeof encodeStoredTensors>[1];
    const { commitBatch } = await import('../../core/store/batch.ts');
    const body = encodeStoredTensors([new Uint8Array(12).fill(7), new Uint8Array(12).fill(9)], card);
    await commitBatch(store, 'shard', [{ name: TENSORS_FILE, body }], {});
    expect(Array.from(await readStoredTensors(store, 'shard', card, 2))).toEqual([...Array(12).fill(7), ...Array(12).fill(9)]);
    await expect(readStoredTensors(store, 'shard', card, 3)).rejects.toThrow(/shard\/tensors\.npy has shape \[2, 2, 2, 3\].*need \[3, 2, 2, 3\]/);
    const float = { ...card, input: { ...card.input, dtype: 'float32' } } as typeof card;
    await expect(readStoredTensors(store, 'shard', float, 2)).rejects.toThrow(/shard\/tensors\.npy is not a valid float32 \.npy file/);
    expect(() => encodeStoredTensors([new Float32Array(12)], card)).toThrow(/tensor 0 holds 12 float32 values; the card takes 12 uint8/);
  });

  it('refuses --store-tensors where the shards already hold decoded pixels, with a clear error', async () => {
    const store = new FileStore(await tempDir());
    await expect(ingestPhotoGallery(store, { dataset: 'fashion-mnist', galleryId: 'fm', ...cards, storeTensors: true }))
      .rejects.toThrow(/--store-tensors applies to photo sources.*built-in dataset gallery already stores its decoded pixels/);
    const cli = await runCli(['backfill', 'ingest', '--dataset', 'fashion-mnist', '--store-tensors'], { REVERIE_STORE: `file://${await tempDir()}` });
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toMatch(/--store-tensors applies to photo galleries ingested with model cards/);
    expect(cli.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('--store-tensors through the CLI and the backfill workflow', () => {
  it('ingests with stored tensors, then backfills the whole gallery after the source folder is gone', async () => {
    // Prepare
    const dir = await photos(24);
    const env = { REVERIE_STORE: `file://${await tempDir()}` };
    const model = ['--old-model', cards.oldCard, '--new-model', cards.newCard];
    const ingest = await runCli(['backfill', 'ingest', '--dataset', dir, '--gallery', 'ph', ...model, '--shard-size', '10', '--query-fraction', '0.1', '--store-tensors', '--json'], env);
    expect(ingest.code, ingest.stderr).toBe(0);
    // Act
    await rm(dir, { recursive: true, force: true });
    const run = await runCli(['backfill', 'run', 'ph', '--json'], env);
    const status = await runCli(['backfill', 'status', 'ph', '--json'], env);
    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ storedTensors: 'new', status: 'complete', items: { total: JSON.parse(ingest.stdout).items } });
  }, 120_000);
});
