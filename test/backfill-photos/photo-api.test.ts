import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { beforeEach, describe, expect, it } from 'vitest';
import { ingestPhotoGallery } from '../../core/backfill/gallery/stream-ingest.ts';
import { clearGalleryCache } from '../../core/backfill/gallery/search/gallery-cache.ts';
import { createApp } from '../../functions/api/app.ts';
import { writePhotoFolder } from '../fixtures/photo-set.ts';
import { tempDir, testRuntime } from '../helpers/runtime.ts';

const MODELS = path.resolve(import.meta.dirname, '../../models/photos');
beforeEach(() => clearGalleryCache());

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function photoApp() {
  const dir = await tempDir('photos-');
  const photos = await writePhotoFolder(dir, { count: 24, seed: 3 });
  const runtime = await testRuntime({ env: { REVERIE_API_TOKEN: 'a-test-token-of-enough-length' } });
  await ingestPhotoGallery(runtime.store, { dataset: dir, galleryId: 'ph', oldCard: path.join(MODELS, 'old.card.json'), newCard: path.join(MODELS, 'new.card.json'), shardSize: 8, queryFraction: 0 });
  const engine = await runtime.engine();
  await engine.wait((await engine.start('backfill', { gallery: 'ph', maxShards: 1 })).id);
  return { app: createApp(runtime), dir, photos };
}

describe('the galleries API on a photo gallery', () => {
  it('searches with an uploaded photo of any size, and serves a stored item as PNG read from the source', async () => {
    // Prepare
    const { app, dir, photos } = await photoApp();
    const upload = (await readFile(path.join(dir, photos[5].sourceId))).toString('base64');
    // Act
    const search = await app.request('/v1/galleries/ph/search', json({ image: upload, mode: 'rt-merge', k: 5 }));
    const image = await app.request('/v1/galleries/ph/items/g-000003.png');
    // Assess
    expect(search.status).toBe(200);
    const body = await search.json() as { hits: { sourceId: string; space: string }[]; backfilledFraction: number };
    expect(body.hits).toHaveLength(5);
    expect(body.hits[0].sourceId).toBe(photos[5].sourceId);
    expect(body.backfilledFraction).toBeCloseTo(8 / 24, 5);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    const meta = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
    expect(meta.format).toBe('png');
  }, 60_000);

  it('answers 400 naming the problem for an upload that is not an image', async () => {
    const { app } = await photoApp();
    const response = await app.request('/v1/galleries/ph/search', json({ image: Buffer.from('hello, not an image').toString('base64'), mode: 'rt-merge', k: 5 }));
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(/uploaded image: not a PNG or JPEG file/);
  }, 60_000);
});
