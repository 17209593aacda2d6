import { SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { S3Store } from '../../adapters/s3-store.ts';
import { SfnWorkflowEngine } from '../../adapters/sfn-engine.ts';
import { loadConfig } from '../../core/config/config.ts';
import { ConflictError } from '../../core/errors.ts';
import { commitBatch } from '../../core/store/batch.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { createApp } from '../../functions/api/app.ts';
import { useEmulator } from '../fixtures/fauxqs.ts';
import { startSfnServer } from '../fixtures/sfn-server.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir, testRuntime } from '../helpers/runtime.ts';

const TOKEN = 'test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const emulator = useEmulator();

describe('execution ids are create-only', () => {
  it('refuses to start a finished id again and leaves its record as it was', async () => {
    const runtime = await testRuntime();
    await commitBatch(runtime.store, 'data/b1', [{ name: 'x', body: 'y' }]);
    const engine = await runtime.engine();
    await engine.start('store-verify', { prefix: 'data/' }, { executionId: 'store-verify-once' });
    await engine.wait('store-verify-once');
    const first = await engine.describe('store-verify-once');

    await expect(engine.start('store-verify', { prefix: 'other/' }, { executionId: 'store-verify-once' })).rejects.toBeInstanceOf(ConflictError);

    expect(await engine.describe('store-verify-once')).toEqual(first);
  });

  it('answers 409 over HTTP, and of four concurrent starts with one id exactly one runs', async () => {
    const runtime = await testRuntime({ env: { REVERIE_API_TOKEN: TOKEN } });
    const app = createApp(runtime);
    const start = () => app.request('/v1/workflows/store-verify/executions', {
      method: 'POST', headers: auth, body: JSON.stringify({ input: {}, executionId: 'store-verify-race' }),
    });
    const statuses = (await Promise.all([start(), start(), start(), start()])).map((r) => r.status).sort();
    expect(statuses).toEqual([202, 409, 409, 409]);
    await (await runtime.engine()).wait('store-verify-race');
    const again = await start();
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('conflict');
  });

  it('holds across processes: two CLI runs with one id start exactly one execution', async () => {
    const root = await tempDir();
    const env = { REVERIE_STORE: `file://${root}` };
    const runs = await Promise.all([1, 2].map(() => runCli(['workflow', 'run', 'store-verify', '--id', 'store-verify-twice', '--json'], env)));
    const codes = runs.map((r) => r.code).sort();
    expect(codes).toEqual([0, 2]);
    expect(runs.find((r) => r.code === 2)!.stderr).toMatch(/already exists/);
  });

  it('holds on S3: a second engine over the same bucket is refused', async () => {
    emulator().createBucket('exec-ids');
    const store = () => new S3Store({ bucket: 'exec-ids', prefix: 'r', client: emulator().s3 });
    const a = await testRuntime({ store: store() });
    const b = await testRuntime({ store: store() });
    await (await a.engine()).start('store-verify', {}, { executionId: 'store-verify-s3' });
    await expect((await b.engine()).start('store-verify', {}, { executionId: 'store-verify-s3' })).rejects.toBeInstanceOf(ConflictError);
    const done = await (await a.engine()).wait('store-verify-s3');
    expect(done.status).toBe('SUCCEEDED');
  });

  it('on the aws engine claims the id before Step Functions is called, so a repeat never reaches it', async () => {
    const server = await startSfnServer(() => ({ status: 'RUNNING' }));
    const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:reverie-store-verify';
    const config = loadConfig({ REVERIE_ENGINE: 'aws', REVERIE_STATE_MACHINES: JSON.stringify({ 'store-verify': arn }) });
    const client = new SFNClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const engine = new SfnWorkflowEngine(config, new FileStore(await tempDir()), { client, pollMs: 10 });
    await engine.start('store-verify', {}, { executionId: 'store-verify-aws' });
    await expect(engine.start('store-verify', {}, { executionId: 'store-verify-aws' })).rejects.toBeInstanceOf(ConflictError);
    expect(server.calls.filter((c) => c.target === 'StartExecution')).toHaveLength(1);
    await server.close();
  });
});
