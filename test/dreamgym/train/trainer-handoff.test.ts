import { afterEach, describe, expect, it } from 'vitest';
import { readCommittedTrajectories } from '../../../core/dreamgym/rollout/group-store.ts';
import { readPolicy } from '../../../core/dreamgym/train/policy-store.ts';
import { runKeys } from '../../../core/dreamgym/train/run-keys.ts';
import { DreamGymSummarySchema } from '../../../core/dreamgym/train/steps/summarize.ts';
import { TrainerMessageSchema } from '../../../core/dreamgym/train/steps/trainer-messages.ts';
import type { TrainerRequest } from '../../../core/dreamgym/train/steps/trainer-messages.ts';
import { putJson } from '../../../core/store/json.ts';
import { startOpenAIServer } from '../../fixtures/openai-server.ts';
import type { ChatRequestBody, OpenAIServer } from '../../fixtures/openai-server.ts';
import { testRuntime } from '../../helpers/runtime.ts';
import { runTrainWorkflow } from './helpers.ts';

let server: OpenAIServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const input = {
  mode: 'real',
  iterations: 2,
  groupsPerIteration: 2,
  rolloutsPerGroup: 2,
  tasks: { trainCount: 4, evalCount: 3 },
  policy: { kind: 'llm' },
} as const;

/** An LLM policy endpoint that always takes the first available action. */
async function llmRuntime() {
  server = await startOpenAIServer({
    respond: (request: ChatRequestBody) => {
      const listing = request.messages.at(-1)!.content.split('Available actions:\n')[1] ?? '';
      return `Thought: first option.\nAction: ${listing.split('\n')[0]}`;
    },
  });
  return testRuntime({ env: { REVERIE_POLICY_BASE_URL: server.url, REVERIE_POLICY_MODEL: 'agent-v0', REVERIE_POLICY_MAX_RETRIES: '0' } });
}

const modelsUsed = () => new Set(server!.requests.map((r) => r.model));

describe('external trainer hand-off', () => {
  it('sends each batch through the trainer queue and rolls out the version the trainer answers with', async () => {
    // Prepare: a trainer that reads the batch and answers in the store, as the local hand-off expects
    const runtime = await llmRuntime();
    const queue = runtime.queue('trainer');
    const received: Array<{ request: TrainerRequest; lines: number; advantages: boolean }> = [];
    let stop = false;
    const trainer = (async () => {
      while (!stop) {
        const [message] = await queue.receive({ waitSeconds: 0.05 });
        if (!message) continue;
        const { request, taskToken } = TrainerMessageSchema.parse(JSON.parse(message.body));
        expect(taskToken).toBeUndefined();
        const lines = await readCommittedTrajectories(runtime.store, request.batch);
        received.push({ request, lines: lines.length, advantages: lines.every((t) => typeof t.advantage === 'number') });
        await putJson(runtime.store, request.replyKey, { policy: { kind: 'llm', model: `agent-v${request.iteration}` } });
        await queue.ack(message);
      }
    })();
    // Act
    const output = await runTrainWorkflow(runtime, { ...input, runId: 'ext', trainer: { kind: 'external', pollSeconds: 0.02 } });
    stop = true;
    await trainer;
    // Assess
    const summary = DreamGymSummarySchema.parse(output);
    expect(summary.trainer).toBe('external');
    expect(received.map((r) => [r.request.iteration, r.request.policy.model, r.lines, r.advantages])).toEqual([
      [1, 'agent-v0', 4, true], [2, 'agent-v1', 4, true],
    ]);
    expect(received[0].request.store).toBe(runtime.store.uri);
    expect(await readPolicy(runtime.store, 'ext', 2)).toMatchObject({ trained: true, policy: { kind: 'llm', model: 'agent-v2' } });
    expect(modelsUsed()).toEqual(new Set(['agent-v0', 'agent-v1', 'agent-v2']));
  });

  it('with no trainer configured, generates and stores the data only, and says so', async () => {
    // Prepare
    const runtime = await llmRuntime();
    // Act
    const summary = DreamGymSummarySchema.parse(await runTrainWorkflow(runtime, { ...input, runId: 'data-only' }));
    // Assess
    expect(summary.trainer).toBe('none');
    expect(summary.notes.join(' ')).toMatch(/no trainer configured: the run generates and stores training data only/);
    expect(await readPolicy(runtime.store, 'data-only', 2)).toMatchObject({ trained: false, policy: { model: 'agent-v0' } });
    expect(await readCommittedTrajectories(runtime.store, runKeys('data-only').batch(2))).toHaveLength(4);
    expect(modelsUsed()).toEqual(new Set(['agent-v0']));
  });

  it('with a task token, sends the request through the queue and records the answer as the next policy', async () => {
    // Prepare: a trainer that answers through the token (SendTaskSuccess on AWS, the local registry here)
    const runtime = await llmRuntime();
    const engine = await runtime.engine();
    const queue = runtime.queue('trainer');
    const sent: Array<{ request: TrainerRequest; taskToken?: string }> = [];
    let stop = false;
    const trainer = (async () => {
      while (!stop) {
        const [message] = await queue.receive({ waitSeconds: 0.05 });
        if (!message) continue;
        const body = TrainerMessageSchema.parse(JSON.parse(message.body));
        sent.push(body);
        await queue.ack(message);
        await engine.completeTask(body.taskToken!, { output: { policy: { kind: 'llm', model: `lora-${body.request.iteration}` }, note: 'trained 1 epoch' } });
      }
    })();
    // Act
    const output = await runTrainWorkflow(runtime, { ...input, runId: 'token', trainer: { kind: 'external', handoff: 'task-token' } });
    stop = true;
    await trainer;
    // Assess
    expect(DreamGymSummarySchema.parse(output).trainer).toBe('external');
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({ taskToken: expect.stringMatching(/^local-/), request: { iteration: 1, runId: 'token' } });
    expect(sent[0].taskToken).not.toBe(sent[1].taskToken);
    expect(await readPolicy(runtime.store, 'token', 1)).toMatchObject({ trained: true, note: 'trained 1 epoch', policy: { model: 'lora-1' } });
    expect(modelsUsed()).toEqual(new Set(['agent-v0', 'lora-1', 'lora-2']));
  });
});
