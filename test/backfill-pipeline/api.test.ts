import { PNG } from 'pngjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearGalleryCache } from '../../core/backfill/gallery/search/gallery-cache.ts';
import { createApp } from '../../functions/api/app.ts';
import { testRuntime } from '../helpers/runtime.ts';
import { ingestSmall, png, runBackfill, type TestRuntime } from './helpers.ts';

const TOKEN = 'a-test-token-of-enough-length';
beforeEach(() => clearGalleryCache());

async function halfBackfilled(): Promise<{ runtime: TestRuntime; app: ReturnType<typeof createApp> }> {
  const runtime = await testRuntime({ env: { REVERIE_API_TOKEN: TOKEN } });
  await ingestSmall(runtime.store);
  await runBackfill(runtime, { gallery: 'mn', maxShards: 2 });
  return { runtime, app: createApp(runtime) };
}

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the galleries API', () => {
  it('reports every gallery and one gallery\'s progress', async () => {
    // Prepare
    const { app } = await halfBackfilled();
    // Act
    const list = await (await app.request('/v1/galleries')).json() as { galleries: { id: string }[] };
    const one = await app.request('/v1/galleries/mn');
    // Assess
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ id: 'mn', status: 'backfilling', model: 'old', items: { total: 1000, backfilled: 500 }, shards: { total: 4, backfilled: 2 }, backfilledFraction: 0.5 });
    expect(list.galleries.map((g) => g.id)).toEqual(['mn']);
  });

  it('starts a backfill through the workflow route, with the token', async () => {
    // Prepare
    const { runtime, app } = await halfBackfilled();
    // Act
    const started = await app.request('/v1/workflows/backfill/executions', { ...json({ input: { gallery: 'mn' } }), headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` } });
    await (await runtime.engine()).wait(((await started.json()) as { id: string }).id);
    // Assess
    expect(started.status).toBe(202);
    expect(await (await app.request('/v1/galleries/mn')).json()).toMatchObject({ status: 'complete', model: 'new', backfilledFraction: 1 });
  });

  it('searches without the bearer token and answers in the dashboard\'s shape', async () => {
    // Prepare
    const { app } = await halfBackfilled();
    // Act
    const response = await app.request('/v1/galleries/mn/search', json({ itemId: 'q-00004', mode: 'rank-merge', k: 5 }));
    // Assess
    expect(response.status).toBe(200);
    const body = await response.json() as { latencyMs: number; hits: unknown[] };
    expect(body).toMatchObject({ gallery: 'mn', mode: 'rank-merge', k: 5, backfilledFraction: 0.5, query: { id: 'q-00004' } });
    expect(body.latencyMs).toBeGreaterThan(0);
    expect(body.hits).toHaveLength(5);
    for (const hit of body.hits) {
      expect(hit).toEqual({ id: expect.stringMatching(/^g-\d{6}$/), sourceId: expect.any(String), label: expect.any(Number), className: expect.any(String), space: expect.stringMatching(/^(old|new)$/), score: expect.any(Number), distance: expect.any(Number) });
    }
  });

  it('serves a stored image as PNG for the dashboard', async () => {
    // Prepare
    const { app } = await halfBackfilled();
    // Act
    const response = await app.request('/v1/galleries/mn/items/q-00004.png');
    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(PNG.sync.read(Buffer.from(await response.arrayBuffer())).width).toBe(28);
  });

  it('answers bad requests with a 4xx JSON error, never a 5xx', async () => {
    // Prepare
    const { app } = await halfBackfilled();
    const cases: [string, RequestInit | undefined, number, RegExp][] = [
      ['/v1/galleries/nope', undefined, 404, /no gallery "nope"/],
      ['/v1/galleries/Not_A_Gallery', undefined, 400, /gallery id/],
      ['/v1/galleries/nope/search', json({ itemId: 'q-00001' }), 404, /no gallery "nope"/],
      ['/v1/galleries/mn/search', json({}), 400, /exactly one of itemId or image/],
      ['/v1/galleries/mn/search', json({ itemId: 'q-00001', image: 'AAAA' }), 400, /exactly one of itemId or image/],
      ['/v1/galleries/mn/search', json({ itemId: 'q-00001', mode: 'fastest' }), 400, /mode/],
      ['/v1/galleries/mn/search', json({ itemId: 'q-00001', k: 0 }), 400, /k/],
      ['/v1/galleries/mn/search', json({ itemId: 'q-99999' }), 404, /no query item q-99999/],
      ['/v1/galleries/mn/search', json({ image: png(30, 28, () => 1).toString('base64') }), 400, /image is 30x28/],
      ['/v1/galleries/mn/search', json({ image: '%%%' }), 400, /not valid base64/],
      ['/v1/galleries/mn/search', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"itemId":' }, 400, /Malformed JSON/],
      ['/v1/galleries/mn/search', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'q-00001' }, 415, /Unsupported Media Type/],
      ['/v1/galleries/mn/items/g-999999.png', undefined, 404, /no gallery item g-999999/],
      ['/v1/galleries/mn/items/nothing.png', undefined, 404, /not an item id/],
      ['/v1/galleries/mn/items/g-000001.gif', undefined, 400, /\.png/],
    ];
    for (const [path, init, status, message] of cases) {
      // Act
      const response = await app.request(path, init);
      // Assess
      expect(response.status, `${path} ${init?.body ?? ''}`).toBe(status);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(message);
    }
  });

  it('lists the gallery on the dashboard with its progress and the search form', async () => {
    // Prepare
    const { app } = await halfBackfilled();
    // Act
    const html = await (await app.request('/dashboard')).text();
    // Assess
    expect(html).toContain('<tr data-gallery="mn"><td>mn</td><td>backfilling</td><td><progress max="1" value="0.5"></progress>');
    expect(html).toContain('<form id="search-form">');
  });
});
