import { SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { SfnWorkflowEngine } from '../../adapters/sfn-engine.ts';
import { loadConfig } from '../../core/config/config.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { startSfnServer } from '../fixtures/sfn-server.ts';
import { tempDir } from '../helpers/runtime.ts';

const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:reverie-store-verify';

async function engineAgainst(describe: (arn: string) => Record<string, unknown>) {
  const server = await startSfnServer(describe);
  const config = loadConfig({ REVERIE_ENGINE: 'aws', REVERIE_STATE_MACHINES: JSON.stringify({ 'store-verify': ARN }) });
  const client = new SFNClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const store = new FileStore(await tempDir());
  return { server, engine: new SfnWorkflowEngine(config, store, { client, pollMs: 10 }), store };
}

describe('SfnWorkflowEngine', () => {
  it('starts the mapped state machine with the checked input and a named execution', async () => {
    const { server, engine } = await engineAgainst(() => ({ status: 'RUNNING' }));
    const record = await engine.start('store-verify', { prefix: 'data/' }, { executionId: 'store-verify-e1' });
    expect(server.calls[0]).toEqual({
      target: 'StartExecution',
      body: { stateMachineArn: ARN, name: 'store-verify-e1', input: JSON.stringify({ prefix: 'data/', pageSize: 100 }) },
    });
    expect(record).toMatchObject({ status: 'RUNNING', engine: 'aws', executionArn: expect.stringContaining(':execution:') });
    await server.close();
  });

  it('maps Step Functions status, output and errors onto the execution record and keeps it', async () => {
    let status = 'RUNNING';
    const { server, engine } = await engineAgainst(() =>
      status === 'RUNNING' ? { status } : { status, error: 'UnavailableError', cause: 'S3 down', stopDate: Date.now() / 1000 },
    );
    const { id } = await engine.start('store-verify', {});
    expect((await engine.describe(id)).status).toBe('RUNNING');
    status = 'FAILED';
    const final = await engine.wait(id);
    expect(final).toMatchObject({ status: 'FAILED', error: { error: 'UnavailableError', cause: 'S3 down' } });
    const calls = server.calls.length;
    expect((await engine.describe(id)).status).toBe('FAILED');
    expect(server.calls.length).toBe(calls);
    await server.close();
  });

  it('says which variable lacks the ARN of a workflow that is not deployed', async () => {
    const server = await startSfnServer(() => ({}));
    const engine = new SfnWorkflowEngine(loadConfig({ REVERIE_ENGINE: 'aws' }), new FileStore(await tempDir()));
    await expect(engine.start('store-verify', {})).rejects.toThrow(/REVERIE_STATE_MACHINES has no state machine ARN for workflow "store-verify"/);
    await server.close();
  });
});
