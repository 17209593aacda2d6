import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnvironmentPlugins } from '../../core/env/environment-plugins.ts';
import { createApp } from '../../functions/api/app.ts';
import { testRuntime } from '../helpers/runtime.ts';

// Its own file: the plug-in registry is per process, and no other test here may have registered the line walk.
const TOKEN = 'test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const PLUGIN = path.resolve(import.meta.dirname, '../fixtures/line-env/index.ts');
const body = JSON.stringify({ input: { env: 'line', mode: 'real', iterations: 1, groupsPerIteration: 1, rolloutsPerGroup: 2, tasks: { trainCount: 2, evalCount: 2 }, curriculum: { enabled: false } } });

describe('the HTTP API with the deploy\'s environment plug-ins', () => {
  it('loads them before its first request, so a run on a plug-in environment starts over HTTP (was refused: the API loaded none)', async () => {
    // Prepare: the same app with and without the readiness step the Lambda entry gives it
    const runtime = await testRuntime({ env: { REVERIE_API_TOKEN: TOKEN } });
    const bare = createApp(runtime);
    const ready = createApp(runtime, { ready: () => loadEnvironmentPlugins(PLUGIN) });
    // Act, Assess: before the plug-in is loaded, "line" is not an environment
    const refused = await bare.request('/v1/workflows/dreamgym-train/executions', { method: 'POST', headers: auth, body });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toMatch(/registered plug-in/);
    const started = await ready.request('/v1/workflows/dreamgym-train/executions', { method: 'POST', headers: auth, body });
    expect(started.status, await started.clone().text()).toBe(202);
    const { id } = (await started.json()) as { id: string };
    const final = await (await runtime.engine()).wait(id);
    expect(final.status).toBe('SUCCEEDED');
  }, 120_000);

  it('answers 500 naming the cause when a plug-in does not load: the deploy\'s fault, not the request\'s', async () => {
    const runtime = await testRuntime({ env: { REVERIE_API_TOKEN: TOKEN } });
    const app = createApp(runtime, { ready: () => loadEnvironmentPlugins('./no/such/plugin.ts') });
    const res = await app.request('/health');
    expect(res.status).toBe(500);
    const message = ((await res.json()) as { error: { message: string } }).error.message;
    expect(message).toMatch(/the API is not ready: environment plug-in "\.\/no\/such\/plugin\.ts" does not load/);
  });
});
