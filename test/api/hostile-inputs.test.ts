import { deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestSmall } from '../backfill-pipeline/helpers.ts';
import { createApp } from '../../functions/api/app.ts';
import { testRuntime } from '../helpers/runtime.ts';

const TOKEN = 'test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
type Api = { app: ReturnType<typeof createApp>; runtime: Awaited<ReturnType<typeof testRuntime>> };

/** Every response of this file is checked for what a public response must never show. */
async function call(api: Api, path: string, init: RequestInit = {}): Promise<{ status: number; body: string }> {
  const res = await api.app.request(path, init);
  const body = await res.text();
  expect(body, `${init.method ?? 'GET'} ${path}`).not.toContain(api.runtime.root);
  expect(body).not.toMatch(/\n\s+at |node_modules|\/work\/|"runner"|"pid"/);
  return { status: res.status, body };
}

async function api(env: Record<string, string> = {}): Promise<Api> {
  const runtime = await testRuntime({ env: { REVERIE_API_TOKEN: TOKEN, ...env } });
  return { runtime, app: createApp(runtime) };
}

const start = (a: Api, workflow: string, body: unknown) =>
  call(a, `/v1/workflows/${workflow}/executions`, { method: 'POST', headers: auth, body: typeof body === 'string' ? body : JSON.stringify(body) });

/** A PNG whose header claims `width`×`height` with almost no pixel data: what a decompression bomb looks like. */
function claimedPng(width: number, height: number): Buffer {
  const crc = (buf: Buffer) => {
    let c = ~0;
    for (const byte of buf) {
      c ^= byte;
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
    }
    return ~c >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc(body));
    return Buffer.concat([head, body, tail]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(width + 1))), chunk('IEND', Buffer.alloc(0))]);
}

describe('hostile HTTP input', () => {
  it('refuses bodies over the configured limit with 413, on mutating and open routes alike', async () => {
    const a = await api({ REVERIE_API_MAX_BODY_BYTES: '2048' });
    const big = JSON.stringify({ input: { prefix: 'x'.repeat(4096) } });
    const started = await start(a, 'store-verify', big);
    expect(started.status).toBe(413);
    expect(JSON.parse(started.body).error.code).toBe('payload_too_large');
    const search = await call(a, '/v1/galleries/g/search', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ image: 'A'.repeat(4096) }) });
    expect(search.status).toBe(413);
  });

  it('refuses a 100,000-deep JSON body with 400 before anything reads it', async () => {
    const a = await api();
    const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    for (const body of [
      `{"input": {"experienceModel": {"kind": "builtin", "options": ${deep}}}}`,
      `{"input": ${deep}}`,
      deep,
    ]) {
      const res = await start(a, 'dreamgym-train', body);
      expect(res.status).toBe(400);
      expect(res.body).toMatch(/nests deeper than 64 levels/);
    }
    const task = await call(a, '/v1/tasks/abc/success', { method: 'POST', headers: auth, body: `{"output": ${deep}}` });
    expect(task.status).toBe(400);
    expect(JSON.parse((await call(a, '/v1/executions')).body).executions).toEqual([]);
  });

  it('answers 400 before any execution starts for inputs that name server files or leave their folder', async () => {
    const a = await api();
    const cases: Array<[string, unknown, RegExp]> = [
      ['dreamgym-annotate', { dataset: 'd1', embedder: 'onnx:/etc/passwd' }, /embedder/],
      ['dreamgym-annotate', { dataset: '../../etc' }, /dataset/],
      ['dreamgym-annotate', { dataset: 'a'.repeat(300) }, /dataset/],
      ['dreamgym-annotate', { dataset: 'd1', buffer: 'b/../../x' }, /buffer/],
      ['early-experience', { env: 'file:///etc/passwd' }, /env/],
      ['early-experience', { dataset: '..' }, /dataset/],
      ['early-experience', { replayBuffer: 'A/../b' }, /replayBuffer/],
      ['dreamgym-train', { env: 'file:///etc' }, /env/],
      ['dreamgym-train', { env: 'ftp://x' }, /env/],
      ['dreamgym-train', { experienceModel: { kind: 'builtin', options: { buffer: '../../etc' } } }, /experienceModel\.options\.buffer/],
      ['dreamgym-train', { experienceModel: { kind: 'builtin', options: { offlineDataset: '/etc/passwd' } } }, /offlineDataset/],
      ['store-verify', { prefix: '../' }, /prefix/],
      ['store-verify', { prefix: '/etc/' }, /prefix/],
    ];
    for (const [workflow, input, field] of cases) {
      const res = await start(a, workflow, { input });
      expect(res.status, `${workflow} ${JSON.stringify(input).slice(0, 80)}`).toBe(400);
      expect(res.body).toMatch(field);
    }
    expect(JSON.parse((await call(a, '/v1/executions')).body).executions).toEqual([]);
  });

  it('refuses wrong ids and traversal in paths with 4xx, never 5xx', async () => {
    const a = await api();
    for (const path of [
      '/v1/executions/..%2f..%2fetc%2fpasswd', '/v1/executions/%2e%2e', '/v1/executions/A', `/v1/executions/${'a'.repeat(200)}`,
      '/v1/galleries/..%2f..', '/v1/galleries/%2e%2e/items/g-000001.png', '/v1/galleries/g/items/..%2fgallery.json',
      '/v1/galleries/g/items/g-1.png', '/v1/executions?workflow=..%2f', '/v1/nothing',
    ]) {
      const res = await call(a, path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
    const wrongType = await start(a, 'store-verify', { input: { pageSize: 'many' }, executionId: 42 });
    expect(wrongType.status).toBe(400);
  });

  it('shows neither the store nor the runner in /health, 404s and execution records', async () => {
    const a = await api();
    const health = JSON.parse((await call(a, '/health')).body);
    expect(health).toEqual({ status: 'ok', version: expect.any(String), engine: 'local' });
    const missing = await call(a, '/v1/executions/store-verify-none');
    expect(missing.status).toBe(404);
    const started = JSON.parse((await start(a, 'store-verify', { input: {} })).body);
    await (await a.runtime.engine()).wait(started.id);
    const record = JSON.parse((await call(a, `/v1/executions/${started.id}`)).body);
    expect(record.status).toBe('SUCCEEDED');
    expect(record.runner).toBeUndefined();
  });

  it('answers corrupt stored data with 500 data_corrupt naming the object, not 400', async () => {
    const a = await api();
    await a.runtime.store.put('executions/store-verify-broken.json', '{not json');
    const res = await call(a, '/v1/executions/store-verify-broken');
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body).error).toMatchObject({ code: 'data_corrupt', message: expect.stringContaining('executions/store-verify-broken.json') });
  });

  it('lists executions newest first, whatever their ids', async () => {
    const a = await api();
    for (const id of ['store-verify-c', 'store-verify-a', 'store-verify-b']) {
      await start(a, 'store-verify', { input: {}, executionId: id });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(JSON.parse((await call(a, '/v1/executions')).body).executions).toEqual(['store-verify-b', 'store-verify-a', 'store-verify-c']);
    expect(JSON.parse((await call(a, '/v1/executions?workflow=store-verify')).body).executions).toEqual(['store-verify-b', 'store-verify-a', 'store-verify-c']);
  });

  describe('image search', () => {
    let a: Api;
    beforeAll(async () => {
      a = await api();
      await ingestSmall(a.runtime.store);
    });
    const search = (body: unknown) =>
      call(a, '/v1/galleries/mn/search', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    it('refuses a 20000×20000 PNG from its header, before decoding it', async () => {
      const bomb = claimedPng(20_000, 20_000);
      const res = await search({ image: bomb.toString('base64') });
      expect(res.status).toBe(400);
      expect(res.body).toMatch(/20000x20000 \(400000000 pixels\), over the limit of 40000000 pixels/);
    });

    it('refuses an image of another size than the gallery\'s from its header', async () => {
      const res = await search({ image: claimedPng(64, 64).toString('base64') });
      expect(res.status).toBe(400);
      expect(res.body).toMatch(/64x64 .*expected 28x28/);
    });

    it('knows each item by one id only', async () => {
      expect((await call(a, '/v1/galleries/mn/items/g-000001.png')).status).toBe(200);
      for (const alias of ['g-1.png', 'g-0000001.png', 'q-1.png']) expect((await call(a, `/v1/galleries/mn/items/${alias}`)).status, alias).toBe(404);
      expect((await search({ itemId: 'g-1' })).status).toBe(404);
    });
  });
});
