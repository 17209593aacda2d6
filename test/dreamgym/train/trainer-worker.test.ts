import fs from 'node:fs/promises';
import path from 'node:path';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { readPolicy } from '../../../core/dreamgym/train/policy-store.ts';
import { startOpenAIServer, type ChatRequestBody, type OpenAIServer } from '../../fixtures/openai-server.ts';
import { useEmulator } from '../../fixtures/fauxqs.ts';
import { runCli } from '../../helpers/cli.ts';
import { testRuntime, tempDir } from '../../helpers/runtime.ts';
import { runTrainWorkflow } from './helpers.ts';

const emulator = useEmulator();
const AWS = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };
let server: OpenAIServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('the reference trainer worker (a separate process on the SQS trainer queue)', () => {
  it('trains each iteration exactly once although training outlasts the visibility timeout and two workers listen', async () => {
    for (const [key, value] of Object.entries(AWS)) process.env[key] ??= value;
    const { QueueUrl } = await emulator().sqs.send(new CreateQueueCommand({ QueueName: 'trainer-slow', Attributes: { VisibilityTimeout: '2' } }));
    server = await startOpenAIServer({
      respond: (request: ChatRequestBody) => {
        const listing = request.messages.at(-1)!.content.split('Available actions:\n')[1] ?? '';
        return `Thought: first option.\nAction: ${listing.split('\n')[0]}`;
      },
    });
    const env = {
      REVERIE_POLICY_BASE_URL: server.url, REVERIE_POLICY_MODEL: 'agent-v0', REVERIE_POLICY_MAX_RETRIES: '0',
      REVERIE_QUEUES: JSON.stringify({ trainer: QueueUrl }), REVERIE_AWS_ENDPOINT: emulator().endpoint,
    };
    const runtime = await testRuntime({ env });
    // A training that takes 5 s against a 2 s visibility timeout: it records every start in a log.
    const log = path.join(await tempDir(), 'trainings.log');
    const script = path.join(path.dirname(log), 'train.sh');
    await fs.writeFile(script, [
      '#!/bin/sh',
      'iteration=$(echo "$REVERIE_TRAINER_REQUEST" | sed -n \'s/.*"iteration":\\([0-9]*\\).*/\\1/p\')',
      `echo "$iteration" >> ${log}`,
      'sleep 5',
      'echo "agent-v$iteration"',
    ].join('\n'), { mode: 0o755 });

    // Two workers on the queue, each handling one iteration: a message redelivered while the first still trains
    // would reach the second.
    const start = () => runCli(['dreamgym', 'trainer', '--command', script, '--visibility', '2', '--heartbeat', '1', '--max-messages', '1'],
      { ...env, ...AWS, REVERIE_STORE: runtime.store.uri });
    const workers = [start(), start()];
    const output = await runTrainWorkflow(runtime, {
      mode: 'real', iterations: 2, groupsPerIteration: 2, rolloutsPerGroup: 2, tasks: { trainCount: 4, evalCount: 3 },
      policy: { kind: 'llm' }, trainer: { kind: 'external', handoff: 'store', pollSeconds: 0.5 },
    });
    for (const finished of await Promise.all(workers)) expect(finished.code, finished.stderr).toBe(0);

    expect((await fs.readFile(log, 'utf8')).trim().split('\n')).toEqual(['1', '2']);
    const runId = (output as { runId: string }).runId;
    expect((await readPolicy(runtime.store, runId, 2)).policy).toEqual({ kind: 'llm', model: 'agent-v2' });
  }, 120_000);
});
