import { afterEach, describe, expect, it } from 'vitest';
import { createOfflineDataset, OfflineDatasetRequestSchema } from '../../../core/dreamgym/offline/create-dataset.ts';
import { readCommittedTrajectories, readGroupSummary } from '../../../core/dreamgym/rollout/group-store.ts';
import { readRunMetrics } from '../../../core/dreamgym/train/metrics/run-metrics.ts';
import { runKeys } from '../../../core/dreamgym/train/run-keys.ts';
import { DreamGymSummarySchema } from '../../../core/dreamgym/train/steps/summarize.ts';
import { getJson } from '../../../core/store/json.ts';
import { z } from 'zod';
import { startOpenAIServer, Fault, type ChatRequestBody, type OpenAIServer } from '../../fixtures/openai-server.ts';
import { testRuntime } from '../../helpers/runtime.ts';
import { runTrainWorkflow } from './helpers.ts';

const RESULTS = 'page: results\nquery: shirt\nshowing: page 1 of 1, 1 results\nP0001: acme shirt $10.00';
const step = (valid: boolean) => JSON.stringify(valid
  ? { reasoning: 'the search lists products', nextState: RESULTS, reward: 0, done: true, valid: true }
  : { reasoning: 'not possible here', nextState: 'page: failed\nreason: invalid action', reward: 0, done: true, valid: false });

let server: OpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function llmEnv(url: string, extra: Record<string, string> = {}): Record<string, string> {
  return { REVERIE_EXPERIENCE_BASE_URL: url, REVERIE_EXPERIENCE_MODEL: 'exp', REVERIE_EXPERIENCE_MAX_RETRIES: '3', ...extra };
}

const input = {
  mode: 'synthetic',
  iterations: 1,
  groupsPerIteration: 2,
  rolloutsPerGroup: 4,
  maxFailedRollouts: 2,
  tasks: { trainCount: 2, evalCount: 4 },
  curriculum: { enabled: false },
  experienceModel: { kind: 'llm' },
} as const;

describe('a training run on the LLM experience model', () => {
  it('reports the calls, retries and tokens its clients measured, in the summary and per iteration', async () => {
    // Prepare: two 500s that the client retries
    server = await startOpenAIServer({ respond: (r: ChatRequestBody) => step(/search\[/.test(r.messages.at(-1)!.content)) });
    server.injectFaults(Fault.serverError, Fault.rateLimit);
    const runtime = await testRuntime({ env: llmEnv(server.url) });

    // Act
    const summary = DreamGymSummarySchema.parse(await runTrainWorkflow(runtime, { ...input, runId: 'llm-usage' }));

    // Assess
    const usage = summary.llm.experience;
    expect(usage).toMatchObject({ retries: 2, failures: 0, schemaFailures: 0 });
    expect(usage.calls + usage.retries).toBe(server.received);
    expect(usage.calls).toBe(server.requests.length);
    expect(usage.promptTokens).toBeGreaterThan(0);
    const rows = (await readRunMetrics(runtime.store, 'llm-usage'))!;
    const row = rows.find((r) => r.step === 1)!;
    expect(row).toMatchObject({ 'llm/experience/calls': usage.calls, 'llm/experience/retries': 2, 'llm/experience/prompt_tokens': usage.promptTokens });
    expect(rows.find((r) => r.step === 0)!['llm/experience/calls']).toBeUndefined();
  });

  it('drops a rollout whose answer keeps failing the schema from its group, never scoring it as an invalid action', async () => {
    // Prepare: no repair retry, and the first two answers are not JSON
    let answered = 0;
    server = await startOpenAIServer({ respond: () => (answered++ < 2 ? 'I think the page changes.' : step(true)) });
    const runtime = await testRuntime({ env: llmEnv(server.url, { REVERIE_EXPERIENCE_REPAIR_RETRIES: '0' }) });

    // Act
    const summary = DreamGymSummarySchema.parse(await runTrainWorkflow(runtime, { ...input, runId: 'llm-schema' }));

    // Assess
    expect(summary.llm.experience).toMatchObject({ schemaFailures: 2, failures: 0 });
    expect(summary.syntheticRollouts).toBe(6);
    const batch = await readCommittedTrajectories(runtime.store, runKeys('llm-schema').batch(1));
    expect(batch).toHaveLength(6);
    expect(batch.every((t) => t.metrics.invalidActions === 0 && t.messages.every((m) => !/unusable/.test(m.content)))).toBe(true);
    let dropped = 0;
    for (const group of [0, 1]) dropped += (await readGroupSummary(runtime.store, runKeys('llm-schema').group(1, group)))!.failures;
    expect(dropped).toBe(2);
  });

  it('retrieves from and enriches the buffer seeded with the offline dataset it is given', async () => {
    // Prepare
    server = await startOpenAIServer({ respond: () => step(true) });
    const runtime = await testRuntime({ env: llmEnv(server.url) });
    await createOfflineDataset(runtime.store, OfflineDatasetRequestSchema.parse({ env: 'shop', expert: 20, random: 10, dataset: 'llm-offline' }));

    // Act
    await runTrainWorkflow(runtime, { ...input, runId: 'llm-buffer', experienceModel: { kind: 'llm', options: { offlineDataset: 'llm-offline' } } });

    // Assess
    const prompts = server.requests.map((r) => r.messages.at(-1)!.content);
    expect(prompts.length).toBeGreaterThan(0);
    expect(prompts.every((p) => /# Similar transitions\nExample 1 \(similarity/.test(p))).toBe(true);
    const replay = await getJson(runtime.store, runKeys('llm-buffer').replay(1), z.object({ appended: z.number() }));
    expect(replay.appended).toBeGreaterThan(0);
  });
});
