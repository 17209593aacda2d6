import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readCommittedTrajectories } from '../../../core/dreamgym/rollout/group-store.ts';
import { TrainerMessageSchema } from '../../../core/dreamgym/train/steps/trainer-messages.ts';
import type { TrainerRequest } from '../../../core/dreamgym/train/steps/trainer-messages.ts';
import { putJson } from '../../../core/store/json.ts';
import { duckdbRows } from '../../export/duckdb.ts';
import { startOpenAIServer, type ChatRequestBody, type OpenAIServer } from '../../fixtures/openai-server.ts';
import { testRuntime } from '../../helpers/runtime.ts';
import { runTrainWorkflow } from './helpers.ts';

let server: OpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const input = { mode: 'real', iterations: 2, groupsPerIteration: 2, rolloutsPerGroup: 2, tasks: { trainCount: 4, evalCount: 2 }, policy: { kind: 'llm' } } as const;

/** Runs an external-trainer run whose trainer reads `request.data` and answers in the store; returns what it read. */
async function runWithTrainer(format?: 'parquet' | 'jsonl') {
  server = await startOpenAIServer({
    respond: (request: ChatRequestBody) => `Thought: first.\nAction: ${(request.messages.at(-1)!.content.split('Available actions:\n')[1] ?? '').split('\n')[0]}`,
  });
  const runtime = await testRuntime({ env: { REVERIE_POLICY_BASE_URL: server.url, REVERIE_POLICY_MODEL: 'agent-v0', REVERIE_POLICY_MAX_RETRIES: '0' } });
  const queue = runtime.queue('trainer');
  const requests: TrainerRequest[] = [];
  const rows: Record<string, unknown>[][] = [];
  let stop = false;
  const trainer = (async () => {
    while (!stop) {
      const [message] = await queue.receive({ waitSeconds: 0.05 });
      if (!message) continue;
      const { request } = TrainerMessageSchema.parse(JSON.parse(message.body));
      requests.push(request);
      const file = fileURLToPath(`${request.store}/${request.data}`);
      rows.push(request.format === 'parquet' ? await duckdbRows(`SELECT * FROM read_parquet('${file}') ORDER BY extra_info.index`) : []);
      await putJson(runtime.store, request.replyKey, { policy: { kind: 'llm', model: `agent-v${request.iteration}` } });
      await queue.ack(message);
    }
  })();
  await runTrainWorkflow(runtime, { ...input, runId: 'fmt', trainer: { kind: 'external', pollSeconds: 0.02, ...(format ? { format } : {}) } });
  stop = true;
  await trainer;
  return { runtime, requests, rows };
}

describe('the external trainer\'s batch file', () => {
  it('is Parquet in verl\'s RL schema by default, holding every trajectory of the batch with reward and advantage', async () => {
    // Act
    const { runtime, requests, rows } = await runWithTrainer();

    // Assess
    expect(requests.map((r) => [r.iteration, r.format, r.data])).toEqual([
      [1, 'parquet', 'dreamgym/runs/fmt/iterations/000001/trainer/batch.parquet'],
      [2, 'parquet', 'dreamgym/runs/fmt/iterations/000002/trainer/batch.parquet'],
    ]);
    for (const [i, request] of requests.entries()) {
      const trajectories = await readCommittedTrajectories(runtime.store, request.batch);
      expect(rows[i].map((r) => [(r.extra_info as { trajectory_id: string }).trajectory_id, r.reward, r.advantage, r.data_source, r.ability])).toEqual(
        trajectories.map((t) => [t.id, t.reward, t.advantage, 'reverie/dreamgym/shop', 'agent']),
      );
      expect(rows[i].map((r) => r.prompt)).toEqual(trajectories.map((t) => t.messages.filter((m) => m.type === 'context').slice(0, 2).map(({ role, content }) => ({ role, content }))));
    }
  });

  it('is the batch\'s trajectory JSONL when the run names jsonl', async () => {
    const { requests } = await runWithTrainer('jsonl');
    expect(requests.map((r) => [r.format, r.data])).toEqual([
      ['jsonl', 'dreamgym/runs/fmt/iterations/000001/batch/trajectories.jsonl'],
      ['jsonl', 'dreamgym/runs/fmt/iterations/000002/batch/trajectories.jsonl'],
    ]);
  });
});
