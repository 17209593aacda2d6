import path from 'node:path';
import aslValidator from 'asl-validator';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../functions/api/app.ts';
import { localTaskTokens } from '../../workflows/task-tokens.ts';
import { testRuntime } from '../helpers/runtime.ts';

const dir = path.join(import.meta.dirname, 'definitions');
const catalog = [{ name: 'handoff', description: 'test', input: z.object({ batch: z.string() }) }];

async function setup() {
  const runtime = await testRuntime({ env: { REVERIE_API_OPEN: 'true' }, engine: { definitionsDir: dir, catalog } });
  return { runtime, engine: await runtime.engine() };
}

async function receiveOne(runtime: Awaited<ReturnType<typeof setup>>['runtime']) {
  const [message] = await runtime.queue('trainer').receive({ waitSeconds: 2 });
  await runtime.queue('trainer').ack(message);
  return JSON.parse(message.body) as { batch: string; TaskToken: string };
}

describe('SQS .waitForTaskToken on the local engine', () => {
  it('is a valid definition', () => {
    expect(aslValidator(JSON.parse(fs.readFileSync(path.join(dir, 'handoff.asl.json'), 'utf8'))).isValid).toBe(true);
  });

  it('sends the message with a fresh token and resumes with what the worker reports', async () => {
    const { runtime, engine } = await setup();
    const { id } = await engine.start('handoff', { batch: 'batches/7' });
    const message = await receiveOne(runtime);
    expect(message.batch).toBe('batches/7');
    expect(message.TaskToken).toMatch(/^local-/);
    localTaskTokens.succeed(message.TaskToken, { policyVersion: 8 });
    const done = await engine.wait(id);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toEqual({ batch: 'batches/7', trainer: { policyVersion: 8 } });
  });

  it('fails the execution with the error the worker reports, through the HTTP route', async () => {
    const { runtime, engine } = await setup();
    const { id } = await engine.start('handoff', { batch: 'b' });
    const message = await receiveOne(runtime);
    const api = createApp(runtime);
    const res = await api.request(`/v1/tasks/${message.TaskToken}/failure`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'TrainerCrashed', cause: 'CUDA OOM' }),
    });
    expect(res.status).toBe(200);
    const done = await engine.wait(id);
    expect(done).toMatchObject({ status: 'FAILED', error: { error: 'TrainerCrashed', cause: 'CUDA OOM' } });
    const late = await api.request(`/v1/tasks/${message.TaskToken}/success`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"output":{}}' });
    expect(late.status).toBe(404);
  });
});
