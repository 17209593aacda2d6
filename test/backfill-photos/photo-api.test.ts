import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { beforeEach, describe, expect, it } from 'vitest';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { S3Store } from '../../adapters/s3-store.ts';
import { useEmulator } from '../fixtures/fauxqs.ts';
import { addItemsFromSource } from '../../core/backfill/gallery/changes/add-from-source.ts';
import { readShardItems } from '../../core/backfill/gallery/image-shard.ts';
import { galleryKeys } from '../../core/backfill/gallery/keys.ts';
import { ingestPhotoGallery } from '../../core/backfill/gallery/stream-ingest.ts';
import { clearGalleryCache } from '../../core/backfill/gallery/search/gallery-cache.ts';
import { createApp } from '../../functions/api/app.ts';
import { writePhotoFolder } from '../fixtures/photo-set.ts';
import { tempDir, testRuntime } from '../helpers/runtime.ts';

const emulator = useEmulator();
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
  return { app: createApp(runtime), dir, photos, runtime };
}

const TOKEN = 'a-test-token-of-enough-length';
const authed = (body: unknown) => ({ ...json(body), headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` } });

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

  it('never serves a deleted item, as an image or as a query, and serves an added one read from its own source', async () => {
    // Prepare: 6 photos added from another folder mid-backfill, then one ingested and one added item deleted over HTTP.
    const { app, dir, photos, runtime } = await photoApp();
    const extra = await tempDir('photos-');
    const more = await writePhotoFolder(extra, { count: 6, seed: 9 });
    const renamed = more.map((p) => p.sourceId.replace('/', '/extra-'));
    for (const [i, p] of more.entries()) await rename(path.join(extra, p.sourceId), path.join(extra, renamed[i]));
    const added = await addItemsFromSource(runtime.store, 'ph', extra);
    const again = await addItemsFromSource(runtime.store, 'ph', extra); // run again (as after a kill): nothing twice
    const fourth = (await readShardItems(runtime.store, galleryKeys('ph').shard('images', 0))).sourceIds[3]; // g-000003, in the seeded shard order
    const deleted = await app.request('/v1/galleries/ph/items/delete', authed({ ids: [fourth, renamed[0]] }));

    // Act
    const deletedPng = await app.request('/v1/galleries/ph/items/g-000003.png');
    const deletedAddedPng = await app.request(`/v1/galleries/ph/items/${added.changes[0].firstItemId}.png`);
    const addedPng = await app.request(`/v1/galleries/ph/items/${added.changes[0].lastItemId}.png`);
    const byDeleted = await app.request('/v1/galleries/ph/search', json({ itemId: 'g-000003', mode: 'rt-merge', k: 5 }));
    const byAdded = await app.request('/v1/galleries/ph/search', json({ itemId: renamed[5], mode: 'rt-merge', k: 40 }));
    const upload = await app.request('/v1/galleries/ph/items', authed({ items: [{ sourceId: 'x/1.jpg', image: (await readFile(path.join(dir, photos[0].sourceId))).toString('base64') }] }));

    // Assess
    expect(added).toMatchObject({ added: 6, spaces: ['old', 'new'] });
    expect(again).toMatchObject({ added: 0, alreadyPresent: 6, changes: [] });
    expect(deleted.status).toBe(200);
    expect(deletedPng.status).toBe(404);
    expect(JSON.stringify(await deletedPng.json())).toMatch(/deleted/);
    expect(deletedAddedPng.status).toBe(404);
    expect(addedPng.status).toBe(200);
    expect((await sharp(Buffer.from(await addedPng.arrayBuffer())).metadata()).format).toBe('png');
    expect(byDeleted.status).toBe(404);
    expect(byAdded.status).toBe(200);
    const hits = (await byAdded.json() as { hits: { sourceId: string }[] }).hits.map((h) => h.sourceId);
    expect(hits).toHaveLength(24 + 6 - 2);
    expect(hits[0]).toBe(renamed[5]);
    expect(hits).not.toContain(fourth);
    expect(hits).not.toContain(renamed[0]);
    expect(upload.status).toBe(400);
    expect(JSON.stringify(await upload.json())).toMatch(/streamed photo gallery.*cannot take uploaded images/);
  }, 60_000);

  it('adds an s3:// prefix to a photo gallery over HTTP, read with the real SDK from the emulator, and serves the added images from it', async () => {
    // Prepare
    const { app, runtime } = await photoApp();
    const s3 = emulator();
    s3.createBucket('more');
    const extra = await tempDir('photos-');
    const more = await writePhotoFolder(extra, { count: 4, seed: 13 });
    for (const p of more) await s3.s3.send(new PutObjectCommand({ Bucket: 'more', Key: `p/${p.sourceId.replace('/', '/s3-')}`, Body: await readFile(path.join(extra, p.sourceId)) }));
    Object.assign(runtime, { sourceStore: (uri: string) => new S3Store({ bucket: 'more', prefix: uri.slice('s3://more/'.length), client: s3.s3 }) });

    // Act
    const response = await app.request('/v1/galleries/ph/items', authed({ dataset: 's3://more/p' }));
    const body = await response.json() as { added: number; spaces: string[]; changes: { lastItemId: string }[] };
    const png = await app.request(`/v1/galleries/ph/items/${body.changes[0].lastItemId}.png`);
    const search = await app.request('/v1/galleries/ph/search', json({ itemId: body.changes[0].lastItemId, mode: 'rank-merge', k: 3 }));

    // Assess
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ added: 4, spaces: ['old', 'new'] });
    expect(png.status).toBe(200);
    expect((await sharp(Buffer.from(await png.arrayBuffer())).metadata()).format).toBe('png');
    expect(search.status).toBe(200);
    expect((await search.json() as { hits: { id: string }[] }).hits[0].id).toBe(body.changes[0].lastItemId);
  }, 60_000);
});
