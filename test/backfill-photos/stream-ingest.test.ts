import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { S3Store } from '../../adapters/s3-store.ts';
import { readShardItems } from '../../core/backfill/gallery/image-shard.ts';
import { galleryKeys } from '../../core/backfill/gallery/keys.ts';
import { ingestPhotoGallery } from '../../core/backfill/gallery/stream-ingest.ts';
import { embedShard } from '../../core/backfill/pipeline/embed-shard.ts';
import { readImageSource } from '../../core/backfill/sources/image-source.ts';
import { decodeToCrop } from '../../core/backfill/images/preprocess.ts';
import { loadModelCard } from '../../core/backfill/models/model-card.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { useEmulator } from '../fixtures/fauxqs.ts';
import { writePhotoFolder } from '../fixtures/photo-set.ts';
import { tempDir } from '../helpers/runtime.ts';

const emulator = useEmulator();
const MODELS = path.resolve(import.meta.dirname, '../../models/photos');
const cards = { oldCard: path.join(MODELS, 'old.card.json'), newCard: path.join(MODELS, 'new.card.json') };

async function folder(count: number): Promise<string> {
  const dir = await tempDir('photos-');
  await writePhotoFolder(dir, { count, seed: 5 });
  await writeFile(path.join(dir, 'notes.txt'), 'not an image');
  return dir;
}

async function pagesOf(source: string, options: Parameters<typeof readImageSource>[1] = {}) {
  const pages = [];
  for await (const page of readImageSource(source, options)) pages.push(page);
  return pages;
}

describe('reading a gallery source in pages', () => {
  it('lists a folder in key order, in pages, with sub-folder labels, ignoring non-images, reading nothing until asked', async () => {
    const dir = await folder(10);
    const pages = await pagesOf(dir, { pageSize: 4 });
    expect(pages.map((p) => p.length)).toEqual([4, 4, 2]);
    const items = pages.flat();
    expect(items.map((i) => i.sourceId)).toEqual([...items.map((i) => i.sourceId)].sort());
    expect(items.every((i) => i.sourceId.startsWith(`${i.label}/`))).toBe(true);
    expect(items.some((i) => i.sourceId.endsWith('.txt'))).toBe(false);
    expect(await items[0].read()).toEqual(await readFile(path.join(dir, items[0].sourceId)));
  });

  it('lists the same items of a folder when the caller needs no key order (its memory is the ingest-memory bench\'s), the store\'s .tmp left out', async () => {
    // Prepare: photos at two depths, and a store's temporary folder at the top, which a listing never shows
    const dir = await folder(12);
    await mkdir(path.join(dir, 'circle', 'deeper'), { recursive: true });
    await writeFile(path.join(dir, 'circle', 'deeper', 'x.png'), await readFile(path.join(dir, (await pagesOf(dir))[0][0].sourceId)));
    await mkdir(path.join(dir, '.tmp'), { recursive: true });
    await writeFile(path.join(dir, '.tmp', 'half-written.png'), 'x');
    const shape = (items: { sourceId: string; label?: string; size: number }[]) => items.map((i) => [i.sourceId, i.label, i.size]).sort();
    // Act
    const ordered = (await pagesOf(dir, { pageSize: 5 })).flat();
    const walked = await pagesOf(dir, { pageSize: 5, ordered: false });
    // Assess
    expect(walked.map((p) => p.length)).toEqual([5, 5, 3]);
    expect(shape(walked.flat())).toEqual(shape(ordered));
    expect(walked.flat().some((i) => i.sourceId.startsWith('.tmp'))).toBe(false);
    expect(walked.flat().map((i) => i.sourceId)).toContain('circle/deeper/x.png');
    const item = walked.flat().find((i) => i.sourceId === 'circle/deeper/x.png')!;
    expect(await item.read()).toEqual(await readFile(path.join(dir, 'circle', 'deeper', 'x.png')));
    // A folder that is not there is named as a source without images, as in key order (was a raw ENOENT)
    await expect(pagesOf(path.join(dir, 'missing'), { ordered: false })).rejects.toThrow(/missing: no PNG, JPEG or WebP images found/);
    await expect(pagesOf(path.join(dir, 'missing'))).rejects.toThrow(/missing: no PNG, JPEG or WebP images found/);
  });

  it('lists an s3:// prefix through the real SDK with each object\'s ETag, and only keys under the prefix', async () => {
    const s3 = emulator();
    s3.createBucket('src');
    const dir = await folder(1);
    const png = await readFile(path.join(dir, (await pagesOf(dir))[0][0].sourceId));
    for (const key of ['p/a/1.webp', 'p/b/2.webp', 'p/3.webp', 'q/a/4.webp']) await s3.s3.send(new PutObjectCommand({ Bucket: 'src', Key: key, Body: png }));
    const open = (uri: string) => new S3Store({ bucket: 'src', prefix: uri.slice('s3://src/'.length), client: s3.s3 });
    const items = (await pagesOf('s3://src/p', { openStore: open })).flat();
    expect(items.map((i) => [i.sourceId, i.label])).toEqual([['3.webp', undefined], ['a/1.webp', 'a'], ['b/2.webp', 'b']]);
    expect(items.every((i) => typeof i.etag === 'string' && i.etag.length > 0)).toBe(true);
  });

  it('serves a built-in dataset as pages of PNGs with its class names as labels', async () => {
    let first: Awaited<ReturnType<typeof pagesOf>>[number] = [];
    for await (const page of readImageSource('fashion-mnist', { pageSize: 3 })) {
      first = page;
      break;
    }
    expect(first).toHaveLength(3);
    expect(first.every((i) => typeof i.label === 'string' && i.label.length > 1)).toBe(true);
    const pixels = await decodeToCrop(await first[0].read(), await loadModelCard(path.resolve(MODELS, '../fashion-mnist/old.card.json')), first[0].sourceId);
    expect(pixels).toHaveLength(28 * 28);
  });

  it('refuses a source with no images, naming it', async () => {
    const dir = await tempDir();
    await expect(pagesOf(dir)).rejects.toThrow(new RegExp(`${dir}: no PNG, JPEG or WebP images found`));
  });
});

describe('streaming ingest of a photo gallery', () => {
  it('commits shards that reference source objects by hash (no pixels) and old-model embeddings, one shard at a time', async () => {
    // Prepare
    const dir = await folder(30);
    const store = new FileStore(await tempDir());
    // Act
    const summary = await ingestPhotoGallery(store, { dataset: dir, galleryId: 'ph', ...cards, shardSize: 8, queryFraction: 0.1, pageSize: 5 });
    // Assess
    expect(summary.items + summary.queries).toBe(30);
    const items = await readShardItems(store, galleryKeys('ph').shard('images', 0));
    expect(items.ids).toHaveLength(8);
    expect(items.refs?.[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await store.head(`${galleryKeys('ph').shard('images', 0)}/pixels.npy`)).toBeUndefined();
    expect(await store.head(`${galleryKeys('ph').shard('old', 0)}/embeddings.npy`)).toBeDefined();
  });

  it('stops at a hostile image with an error naming the object, and commits no gallery record', async () => {
    const dir = await folder(6);
    await mkdir(path.join(dir, 'circle'), { recursive: true });
    await writeFile(path.join(dir, 'circle', 'zz-huge.png'), pngHeader(20000, 20000));
    const store = new FileStore(await tempDir());
    await expect(ingestPhotoGallery(store, { dataset: dir, galleryId: 'ph', ...cards, queryFraction: 0 }))
      .rejects.toThrow(/circle\/zz-huge\.png: image is 20000x20000 \(400000000 pixels\), over the limit/);
    expect(await store.head(galleryKeys('ph').record)).toBeUndefined();
  });

  it('refuses to re-embed a source object that changed since ingest', async () => {
    const dir = await folder(6);
    const store = new FileStore(await tempDir());
    await ingestPhotoGallery(store, { dataset: dir, galleryId: 'ph', ...cards, shardSize: 10, queryFraction: 0 });
    const [first] = (await readShardItems(store, galleryKeys('ph').shard('images', 0))).sourceIds;
    await writeFile(path.join(dir, first), await readFile(path.join(dir, (await readShardItems(store, galleryKeys('ph').shard('images', 0))).sourceIds[1])));
    await expect(embedShard(store, { gallery: 'ph', shard: 0, executionId: 't', batchSize: 64, intraOpNumThreads: 1 }))
      .rejects.toThrow(new RegExp(`${first.replace('.', '\\.')} changed since it was ingested`));
    expect(await store.head(`${galleryKeys('ph').shard('new', 0)}/embeddings.npy`)).toBeUndefined();
  });
});

function pngHeader(width: number, height: number): Uint8Array {
  const bytes = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes, 0);
  bytes.writeUInt32BE(13, 8);
  bytes.write('IHDR', 12, 'ascii');
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  bytes.set([8, 2, 0, 0, 0], 24);
  return bytes;
}
