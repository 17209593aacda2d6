import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { builtinModelFiles } from '../../core/backfill/eval/evaluate-builtin.ts';
import { readGalleryStatus } from '../../core/backfill/gallery/gallery-status.ts';
import { ingestGallery } from '../../core/backfill/gallery/ingest.ts';
import { galleryKeys } from '../../core/backfill/gallery/keys.ts';
import { decodePixelNpy, encodePixelNpy } from '../../core/backfill/gallery/pixel-npy.ts';
import { clearGalleryCache } from '../../core/backfill/gallery/search/gallery-cache.ts';
import { renderItemPng } from '../../core/backfill/gallery/search/item-png.ts';
import { searchGallery } from '../../core/backfill/gallery/search/search-gallery.ts';
import { DataCorruptError, InvalidInputError, NotFoundError } from '../../core/errors.ts';
import { tempDir, testRuntime } from '../helpers/runtime.ts';
import { ingestSmall, keys, linearModel, png, runBackfill, writeImageFolder } from './helpers.ts';

const files = builtinModelFiles('mnist');
let dir: string;
beforeAll(async () => {
  dir = await tempDir('reverie-bad-');
  await writeFile(path.join(dir, 'wide.onnx'), linearModel([1, 32, 32], 64));
  await writeFile(path.join(dir, 'narrow-old.onnx'), linearModel([1, 28, 28], 32));
  await writeFile(path.join(dir, 'psi-32.onnx'), linearModel([32], 64));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));
beforeEach(() => clearGalleryCache());

/** A folder of 10 good images plus one bad file written by `bad`. */
async function folderWith(name: string, bad: (folder: string) => Promise<void>): Promise<string> {
  const folder = path.join(dir, name);
  await writeImageFolder(folder, ['a', 'b'], 5);
  await bad(folder);
  return folder;
}

async function ingestFolder(folder: string, extra: object = {}) {
  const { store } = await testRuntime();
  const attempt = ingestGallery(store, { dataset: folder, galleryId: 'f', models: { old: files.old, new: files.new }, ...extra });
  return { store, attempt };
}

describe('bad input to ingest', () => {
  it.each([
    ['an image of the wrong size', (f: string) => writeFile(path.join(f, 'a', 'big.png'), png(32, 30, () => 7)), /a\/big\.png: image is 32x30 \(width x height\), expected 28x28/],
    ['a colour image in a grayscale gallery', (f: string) => writeFile(path.join(f, 'b', 'rgb.png'), png(28, 28, (x) => x, true)), /b\/rgb\.png: image has 3 channel\(s\) \(colour\), expected 1/],
    ['an empty image file', (f: string) => writeFile(path.join(f, 'a', 'empty.png'), ''), /a\/empty\.png: the image file is empty/],
    ['a file that is not an image', (f: string) => writeFile(path.join(f, 'a', 'junk.jpg'), 'not a jpeg at all'), /a\/junk\.jpg: not a PNG or JPEG file/],
    ['a truncated PNG', (f: string) => writeFile(path.join(f, 'a', 'cut.png'), png(28, 28, () => 9).subarray(0, 60)), /a\/cut\.png: could not decode image/],
  ])('names %s and commits nothing', async (name, bad, message) => {
    // Prepare
    const folder = await folderWith(name.replace(/\W+/g, '-'), bad);
    // Act
    const { store, attempt } = await ingestFolder(folder);
    // Assess
    await expect(attempt).rejects.toThrow(InvalidInputError);
    await expect(attempt).rejects.toThrow(message);
    expect(await keys(store, 'backfill/')).toEqual([]);
  });

  it('converts colour images when asked to, and colour uploads to that gallery too', async () => {
    // Prepare
    const folder = await folderWith('colour-ok', (f) => writeFile(path.join(f, 'b', 'rgb.png'), png(28, 28, (x) => x, true)));
    const { store, attempt } = await ingestFolder(folder, { toGrayscale: true });
    // Act
    const summary = await attempt;
    const result = await searchGallery(store, 'f', { image: png(28, 28, (x) => x, true).toString('base64'), mode: 'old', k: 1 });
    // Assess
    expect(summary.items + summary.queries).toBe(11);
    expect(result.hits[0].sourceId).toBe('b/rgb.png');
  });

  it('names a model whose input does not fit the images', async () => {
    // Prepare
    const { store } = await testRuntime();
    // Act
    const attempt = ingestGallery(store, { dataset: 'mnist', maxItems: 50, models: { old: path.join(dir, 'wide.onnx'), new: files.new } });
    // Assess
    await expect(attempt).rejects.toThrow(/the old model .*wide\.onnx expects 1x32x32 images \(channels x height x width\); the gallery's images are 1x28x28/);
  });

  it('names a ψ that does not map the new model\'s features into the old space', async () => {
    // Prepare
    const { store } = await testRuntime();
    // Act
    const attempt = ingestGallery(store, { dataset: 'mnist', maxItems: 50, models: { psi: path.join(dir, 'psi-32.onnx') } });
    // Assess
    await expect(attempt).rejects.toThrow(/ψ .*psi-32\.onnx maps 32 → 64 features, but it must map the new model's 64-dimensional embeddings to the old model's 64-dimensional space \(64 → 64\)/);
    expect(await keys(store, 'backfill/')).toEqual([]);
  });

  it('names an old model whose output dimension does not match the gallery\'s index', async () => {
    // Prepare
    const { store } = await testRuntime();
    await ingestSmall(store, { maxItems: 250 });
    const before = await keys(store, 'backfill/');
    // Act
    const attempt = ingestSmall(store, { maxItems: 250, models: { old: path.join(dir, 'narrow-old.onnx'), new: files.new } });
    // Assess
    await expect(attempt).rejects.toThrow(/outputs 32-dimensional embeddings, but gallery "mn" holds 64-dimensional old-model embeddings/);
    expect(await keys(store, 'backfill/')).toEqual(before);
  });

  it('names a folder given no models', async () => {
    const { attempt } = await testRuntime().then((r) => ({ attempt: ingestGallery(r.store, { dataset: dir }) }));
    await expect(attempt).rejects.toThrow(/an image folder needs --old-model and --new-model/);
  });
});

describe('bad input to search', () => {
  it('names an unknown gallery', async () => {
    const { store } = await testRuntime();
    await expect(searchGallery(store, 'nope', { itemId: 'q-00001' })).rejects.toThrow(NotFoundError);
    await expect(readGalleryStatus(store, 'nope')).rejects.toThrow(/no gallery "nope"/);
    await expect(renderItemPng(store, 'nope', 'g-000001')).rejects.toThrow(/no gallery "nope"/);
  });

  it.each([
    ['an upload of the wrong size', png(20, 20, () => 3).toString('base64'), /uploaded image: image is 20x20 \(width x height\), expected 28x28/],
    ['a colour upload to a grayscale gallery', png(28, 28, (x) => x, true).toString('base64'), /uploaded image: image has 3 channel\(s\)/],
    ['an upload that is not an image', Buffer.from('hello world').toString('base64'), /uploaded image: not a PNG or JPEG file/],
    ['an upload that is not base64', 'this is not base64!', /image: not valid base64/],
    ['an empty upload', 'data:image/png;base64,', /uploaded image: the image file is empty/],
  ])('names %s', async (_, image, message) => {
    // Prepare
    const { store } = await testRuntime();
    await ingestSmall(store, { maxItems: 250 });
    // Act
    const attempt = searchGallery(store, 'mn', { image });
    // Assess
    await expect(attempt).rejects.toThrow(InvalidInputError);
    await expect(attempt).rejects.toThrow(message);
  });

  it('names an unknown item', async () => {
    const { store } = await testRuntime();
    await ingestSmall(store, { maxItems: 250 });
    await expect(searchGallery(store, 'mn', { itemId: 'g-000999' })).rejects.toThrow(/gallery "mn" has no gallery item g-000999 \(its gallery items are g-000000 … g-000249\)/);
    await expect(searchGallery(store, 'mn', { itemId: 'shoes/1.png' })).rejects.toThrow(/gallery "mn" has no item "shoes\/1\.png"/);
  });
});

describe('a corrupt .npy shard', () => {
  it('is named when searching, and a backfill run neither overwrites nor loses committed shards', async () => {
    // Prepare
    const runtime = await testRuntime();
    await ingestSmall(runtime.store);
    await runBackfill(runtime, { gallery: 'mn', maxShards: 2 });
    const npy = `${galleryKeys('mn').shard('new', 1)}/embeddings.npy`;
    const damaged = (await runtime.store.get(npy)).slice(0, 500);
    await runtime.store.put(npy, damaged);
    const committed = await keys(runtime.store, galleryKeys('mn').shards('new'));

    // Act
    const search = await searchGallery(runtime.store, 'mn', { itemId: 'q-00001' }).catch((error: unknown) => error);
    const rerun = await runBackfill(runtime, { gallery: 'mn' });

    // Assess
    expect(search).toBeInstanceOf(DataCorruptError);
    expect((search as Error).message).toMatch(/"backfill\/galleries\/mn\/new\/shard-00001\/embeddings\.npy" does not match its manifest \(size or checksum differs\): it is corrupt/);
    expect(rerun.status).toBe('SUCCEEDED');
    expect(await runtime.store.get(npy)).toEqual(damaged);
    const after = await keys(runtime.store, galleryKeys('mn').shards('new'));
    expect(after.filter((key) => committed.includes(key))).toEqual(committed);
  });

  it('names what is wrong with a malformed pixel file', () => {
    const good = encodePixelNpy(new Uint8Array(2 * 4 * 4), [2, 4, 4, 1]);
    expect(decodePixelNpy(good, 'p.npy').shape).toEqual([2, 4, 4, 1]);
    expect(() => decodePixelNpy(good.subarray(0, good.length - 1), 'p.npy')).toThrow(/p\.npy is not a valid uint8 image \.npy file: expected 32 pixel bytes for shape \[2, 4, 4, 1\], found 31/);
    expect(() => decodePixelNpy(new Uint8Array(20), 'p.npy')).toThrow(/bad magic/);
  });
});

