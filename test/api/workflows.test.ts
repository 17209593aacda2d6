import { describe, expect, it } from 'vitest';
import { commitBatch } from '../../core/store/batch.ts';
import { createApp } from '../../functions/api/app.ts';
import { testRuntime } from '../helpers/runtime.ts';

const TOKEN = 'test-token-0123456789';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (res: Response): Promise<any> => res.json();
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

async function app(env: Record<string, string> = { REVERIE_API_TOKEN: TOKEN }) {
  const runtime = await testRuntime({ env });
  return { runtime, app: createApp(runtime) };
}

describe('HTTP API: workflows and executions', () => {
  it('answers /health without a token', async () => {
    const { app: api } = await app();
    const res = await api.request('/health');
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ status: 'ok', engine: 'local' });
  });

  it('starts an execution and reports its status and output', async () => {
    const { app: api, runtime } = await app();
    await commitBatch(runtime.store, 'data/b1', [{ name: 'x', body: 'y' }]);
    const res = await api.request('/v1/workflows/store-verify/executions', {
      method: 'POST', headers: auth, body: JSON.stringify({ input: { prefix: 'data/' } }),
    });
    expect(res.status).toBe(202);
    const started = await json(res);
    expect(started).toMatchObject({ workflow: 'store-verify', status: 'RUNNING', input: { prefix: 'data/', pageSize: 100 } });
    await (await runtime.engine()).wait(started.id);

    const status = await api.request(`/v1/executions/${started.id}`);
    expect(status.status).toBe(200);
    expect(await json(status)).toMatchObject({ status: 'SUCCEEDED', output: { batches: 1, ok: 1 } });
    const list = await json((await api.request('/v1/executions?workflow=store-verify')));
    expect(list.executions).toEqual([started.id]);
  });

  it('refuses mutations without the right bearer token', async () => {
    const { app: api } = await app();
    const missing = await api.request('/v1/workflows/store-verify/executions', { method: 'POST' });
    expect(missing.status).toBe(401);
    expect(await json(missing)).toEqual({ error: { code: 'unauthorized', message: expect.stringMatching(/missing bearer token/) } });
    const wrong = await api.request('/v1/workflows/store-verify/executions', { method: 'POST', headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  it('gives JSON 4xx errors for bad input, unknown workflows and unknown executions', async () => {
    const { app: api } = await app();
    const badInput = await api.request('/v1/workflows/store-verify/executions', {
      method: 'POST', headers: auth, body: JSON.stringify({ input: { pageSize: 'many' } }),
    });
    expect(badInput.status).toBe(400);
    expect((await json(badInput)).error.message).toMatch(/pageSize/);

    const malformed = await api.request('/v1/workflows/store-verify/executions', { method: 'POST', headers: auth, body: '{not json' });
    expect(malformed.status).toBe(400);
    expect((await json(malformed)).error.code).toBe('invalid_input');

    const unknown = await api.request('/v1/workflows/nope/executions', { method: 'POST', headers: auth, body: '{}' });
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error.message).toMatch(/no workflow named "nope"/);

    const missing = await api.request('/v1/executions/store-verify-missing');
    expect(missing.status).toBe(404);
    const badId = await api.request('/v1/executions/NOT_AN_ID');
    expect(badId.status).toBe(400);
    const noRoute = await api.request('/v2/anything');
    expect(noRoute.status).toBe(404);
  });

  it('serves an OpenAPI document generated from the schemas', async () => {
    const { app: api } = await app();
    const doc = await json((await api.request('/openapi.json')));
    expect(doc.openapi).toBe('3.1.0');
    const start = doc.paths['/v1/workflows/{name}/executions'].post;
    expect(start.security).toEqual([{ bearer: [] }]);
    expect(JSON.stringify(start.requestBody)).toContain('executionId');
    expect(doc.paths['/v1/executions/{id}'].get.responses['200']).toBeDefined();
  });

  it('refuses to start without a token unless open mode is explicit', async () => {
    const runtime = await testRuntime({ env: {} });
    expect(() => createApp(runtime)).toThrow(/REVERIE_API_TOKEN is not set/);
    const open = await testRuntime({ env: { REVERIE_API_OPEN: 'true' } });
    const res = await createApp(open).request('/v1/workflows/store-verify/executions', { method: 'POST' });
    expect(res.status).toBe(202);
    await (await open.engine()).wait((await json(res)).id);
  });
});
