import { beforeEach, describe, expect, it } from 'vitest';
import { clearGalleryCache } from '../../core/backfill/gallery/search/gallery-cache.ts';
import { createApp } from '../../functions/api/app.ts';
import { testRuntime } from '../helpers/runtime.ts';
import { mnistPhotos } from './changes-helpers.ts';
import { ingestSmall, png, runBackfill } from './helpers.ts';

const TOKEN = 'a-test-token-of-enough-length';
beforeEach(() => clearGalleryCache());

const post = (body: unknown, token: string | null = TOKEN) => ({
  method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
});

async function setUp() {
  const runtime = await testRuntime({ env: { REVERIE_API_TOKEN: TOKEN } });
  await ingestSmall(runtime.store);
  await runBackfill(runtime, { gallery: 'mn', maxShards: 2 });
  return createApp(runtime);
}

describe('adding and deleting gallery items over HTTP', () => {
  it('adds uploaded images and deletes items with the token, during the backfill, and search follows', async () => {
    // Prepare
    const app = await setUp();
    const photos = await mnistPhotos(69_000, 3);
    const items = photos.map((p) => ({ sourceId: p.sourceId, image: p.png.toString('base64'), className: String(p.label) }));
    // Act
    const unauthorised = await app.request('/v1/galleries/mn/items', post({ items }, null));
    const added = await app.request('/v1/galleries/mn/items', post({ items }));
    const deleted = await app.request('/v1/galleries/mn/items/delete', post({ ids: ['g-000001', photos[0].sourceId] }));
    const status = await (await app.request('/v1/galleries/mn')).json();
    const search = await (await app.request('/v1/galleries/mn/search', post({ itemId: photos[1].sourceId, mode: 'rt-merge', k: 3 }, null))).json() as { hits: { sourceId: string; className: string }[] };
    // Assess
    expect(unauthorised.status).toBe(401);
    expect(added.status).toBe(200);
    expect(await added.json()).toMatchObject({ gallery: 'mn', added: 3, alreadyPresent: 0, spaces: ['old', 'new'], changes: [{ seq: 0, firstItemId: 'g-001000', count: 3 }] });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toMatchObject({ deleted: 2, alreadyDeleted: 0, seq: 1 });
    expect(status).toMatchObject({ items: { total: 1001, backfilled: 499 + 2 }, changes: { added: 3, deleted: 2, entries: 2 } });
    expect(search.hits[0]).toMatchObject({ sourceId: photos[1].sourceId, className: String(photos[1].label) });
  }, 60_000);

  it('answers bad changes with a 4xx naming the problem, and changes nothing', async () => {
    // Prepare
    const app = await setUp();
    const good = { sourceId: 'a.png', image: png(28, 28, (x) => x * 9).toString('base64') };
    const cases: [string, unknown, number, RegExp][] = [
      ['/v1/galleries/nope/items', { items: [good] }, 404, /no gallery "nope"/],
      ['/v1/galleries/mn/items', {}, 400, /exactly one of dataset or items/],
      ['/v1/galleries/mn/items', { items: [good], dataset: 's3://b/p' }, 400, /exactly one of dataset or items/],
      ['/v1/galleries/mn/items', { dataset: '/etc' }, 400, /s3:\/\/bucket\/prefix/],
      ['/v1/galleries/mn/items', { items: [] }, 400, /items/],
      ['/v1/galleries/mn/items', { items: [{ ...good, image: '%%%' }] }, 400, /items\[0\] \(a\.png\): not valid base64/],
      ['/v1/galleries/mn/items', { items: [{ ...good, image: png(30, 28, () => 1).toString('base64') }] }, 400, /items\[0\] \(a\.png\): image is 30x28/],
      ['/v1/galleries/mn/items', { items: [good, good] }, 400, /"a\.png" is given twice/],
      ['/v1/galleries/mn/items/delete', { ids: [] }, 400, /ids/],
      ['/v1/galleries/mn/items/delete', { ids: ['g-000002', 'no/such.png', 'g-5'] }, 404, /no item "no\/such\.png", "g-5"; nothing was deleted/],
    ];
    for (const [path, body, code, message] of cases) {
      // Act
      const response = await app.request(path, post(body));
      // Assess
      expect(response.status, `${path} ${JSON.stringify(body).slice(0, 80)}`).toBe(code);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(message);
    }
    expect(await (await app.request('/v1/galleries/mn')).json()).toMatchObject({ items: { total: 1000, backfilled: 500 }, changes: { entries: 0 } });
  }, 60_000);
});
