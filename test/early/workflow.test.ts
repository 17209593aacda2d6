import { fileURLToPath } from 'node:url';
import fs from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { HashedTextEmbedder } from '../../core/dreamgym/embed/hashed-embedder.ts';
import { ReplayBuffer } from '../../core/dreamgym/replay/replay-buffer.ts';
import type { TrajectoryRecord } from '../../core/dreamgym/offline/trajectory-record.ts';
import { createShopEnvironment } from '../../core/env/shop/shop-environment.ts';
import { BranchRecordSchema } from '../../core/early/branch-record.ts';
import { IwmRecordSchema } from '../../core/early/iwm-records.ts';
import { BRANCHES_FILE, branchBatch } from '../../core/early/keys.ts';
import { POLICY_SYSTEM_PROMPT } from '../../core/early/policy-prompt.ts';
import { REFLECTION_SYSTEM_PROMPT } from '../../core/early/reflection-llm.ts';
import { readBatchJsonl } from '../../core/early/read-batch-jsonl.ts';
import { SrRecordSchema } from '../../core/early/sr-records.ts';
import { reexecuteBranches } from '../../core/early/verify-branches.ts';
import { EarlySummarySchema, type EarlySummary } from '../../core/early/summary.ts';
import type { Store } from '../../core/store/store.ts';
import { startOpenAIServer, type ChatRequestBody, type OpenAIServer } from '../fixtures/openai-server.ts';
import { testRuntime } from '../helpers/runtime.ts';
import { shopDemonstrations, writeRawDataset } from './helpers.ts';

type Runtime = Awaited<ReturnType<typeof testRuntime>>;

let server: OpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The policy picks the last listed action; the teacher writes a fixed reflection. */
function policyOrTeacher(request: ChatRequestBody): string {
  if (request.messages[0].content === POLICY_SYSTEM_PROMPT) {
    return `Thought: try it\nAction: ${[...request.messages[1].content.matchAll(/^- (.+)$/gm)].at(-1)?.[1] ?? 'click[nothing]'}`;
  }
  return 'Comparing what each action led to, the chosen one moves toward the task.';
}

async function run(runtime: Runtime, input: object): Promise<EarlySummary> {
  const engine = await runtime.engine();
  const done = await engine.wait((await engine.start('early-experience', input)).id);
  if (done.status !== 'SUCCEEDED') throw new Error(`run ${done.status}: ${JSON.stringify(done.error)}`);
  return EarlySummarySchema.parse(done.output);
}

async function lines(uri: string): Promise<unknown[]> {
  const text = await fs.readFile(fileURLToPath(uri), 'utf8');
  return text.trim().split('\n').map((line) => JSON.parse(line));
}

async function keys(store: Store, prefix: string): Promise<string[]> {
  const found: string[] = [];
  for await (const info of store.list(prefix)) found.push(info.key);
  return found;
}

/** 12 expert demonstrations, 3 noisy episodes, one expert trajectory recorded wrongly, one line that is not a record. */
async function mixedDataset(store: Store): Promise<{ experts: TrajectoryRecord[]; tampered: TrajectoryRecord }> {
  const all = await shopDemonstrations(16, { plan: { expert: 13, noisy: 3 } });
  const experts = all.filter((r) => r.policy === 'expert' && r.success).slice(0, 12);
  const original = all.filter((r) => r.policy === 'expert')[12];
  const steps = original.steps.map((s, i) => (i === 0 ? { ...s, nextState: `${s.nextState}\nP9999: a product that is not there $1.00` } : s));
  const tampered = { ...original, steps };
  const records = [...experts.slice(0, 6), tampered, ...all.filter((r) => r.policy === 'noisy'), ...experts.slice(6)];
  const text = records.map((r) => JSON.stringify(r));
  text.splice(4, 0, '{"id": "shop-expert-broken", "steps": "not a list"}');
  await writeRawDataset(store, 'mixed', text);
  return { experts, tampered };
}

describe('the early-experience workflow on the local engine', () => {
  it('branches every expert state, reports divergent and malformed records, and commits both datasets', async () => {
    // Prepare
    const runtime = await testRuntime();
    const { experts, tampered } = await mixedDataset(runtime.store);

    // Act
    const summary = await run(runtime, { dataset: 'mixed', experts: 100, k: 4, chunkSize: 8, maxConcurrency: 3 });

    // Assess
    const states = experts.reduce((n, r) => n + r.steps.length, 0);
    expect(summary).toMatchObject({ env: 'shop', k: 4, expertTrajectories: 12, expertStates: states, srRecords: states, divergedCount: 1, malformedCount: 1 });
    expect(summary.iwmRecords).toBe(states + summary.alternatives);
    expect(summary.alternatives).toBe(4 * states - summary.missingAlternatives);
    expect(summary.statesShortOfK).toBeGreaterThan(0);
    expect(summary.diverged[0]).toMatchObject({ trajectoryId: tampered.id, step: 1 });
    expect(summary.malformed[0]).toMatchObject({ source: 'dreamgym/offline/mixed/part-00000/trajectories.jsonl', line: 5, id: 'shop-expert-broken' });
    const iwm = (await lines(summary.datasets.iwm)).map((r) => IwmRecordSchema.parse(r));
    const sr = (await lines(summary.datasets.sr)).map((r) => SrRecordSchema.parse(r));
    expect(iwm).toHaveLength(summary.iwmRecords);
    expect(sr).toHaveLength(summary.srRecords);
    expect(new Set(iwm.map((r) => r.id)).size).toBe(iwm.length);
    expect(sr.every((r) => r.reflection.author === 'template')).toBe(true);
    expect(sr.some((r) => r.trajectoryId === tampered.id)).toBe(false);
    expect(summary.datasets.iwm).toMatch(new RegExp(`^file://.*/early/${summary.runId}/datasets/iwm.jsonl$`));
    const { records: committed } = await readBatchJsonl(runtime.store, branchBatch(summary.runId, 1), BRANCHES_FILE, BranchRecordSchema);
    const again = await reexecuteBranches(await createShopEnvironment({ seed: 0 }).open(), committed);
    expect(again.checked).toBeGreaterThan(committed.length);
    expect(again.mismatches).toEqual([]);
  });

  it('duplicates nothing when the same run is started again', async () => {
    // Prepare
    const runtime = await testRuntime();
    await mixedDataset(runtime.store);
    const input = { dataset: 'mixed', k: 3, chunkSize: 6, maxConcurrency: 4 };
    const first = await run(runtime, input);
    const prefix = `early/${first.runId}/`;
    const before = await keys(runtime.store, prefix);
    const bytes = await runtime.store.get(`${prefix}datasets/iwm.jsonl`);
    const manifest = await runtime.store.get(`${prefix}branches/chunk-00000/_manifest.json`);

    // Act
    const second = await run(runtime, input);

    // Assess
    expect(second).toEqual(first);
    expect(await keys(runtime.store, prefix)).toEqual(before);
    expect(await runtime.store.get(`${prefix}datasets/iwm.jsonl`)).toEqual(bytes);
    expect(await runtime.store.get(`${prefix}branches/chunk-00000/_manifest.json`)).toEqual(manifest);
  });

  it('generates shop demonstrations when given no dataset, as `reverie early run --env shop --k 4` does', async () => {
    const runtime = await testRuntime();

    const summary = await run(runtime, { env: 'shop', k: 4, experts: 5 });

    expect(summary).toMatchObject({ dataset: 'early-shop-c0-e5-s0', expertTrajectories: 5, divergedCount: 0, malformedCount: 0 });
    expect(summary.expertStates).toBeGreaterThan(10);
  });

  it('appends the branch transitions to a replay buffer once, as source "branch"', async () => {
    // Prepare
    const runtime = await testRuntime();
    await mixedDataset(runtime.store);
    const input = { dataset: 'mixed', k: 2, chunkSize: 10, replayBuffer: 'shop-test' };

    // Act
    const first = await run(runtime, input);
    const again = await run(runtime, input);

    // Assess
    expect(first.replay).toMatchObject({ buffer: 'shop-test', appended: first.alternatives });
    expect(again.replay).toMatchObject({ appended: 0 });
    const buffer = await ReplayBuffer.open({ store: runtime.store, id: 'shop-test', embedder: new HashedTextEmbedder() });
    expect(buffer.size).toBe(first.alternatives);
    expect(buffer.transitions().every((t) => t.source === 'branch')).toBe(true);
    expect(buffer.transitions()[0].id).toMatch(new RegExp(`^early-${first.runId}/shop-expert-\\d+/\\d+-\\d+#\\d+$`));
  });

  it('samples alternatives from the policy LLM and has the teacher write every reflection when both are configured', async () => {
    // Prepare
    server = await startOpenAIServer({ respond: policyOrTeacher });
    const runtime = await testRuntime({ env: {
      REVERIE_POLICY_BASE_URL: server.url, REVERIE_POLICY_MODEL: 'pol', REVERIE_TEACHER_BASE_URL: server.url, REVERIE_TEACHER_MODEL: 'tea',
    } });

    // Act
    const summary = await run(runtime, { env: 'shop', k: 2, experts: 3, temperatures: [0.9] });

    // Assess
    expect(summary).toMatchObject({ alternativesFrom: 'policy:pol + uniform', reflectionsBy: 'teacher:tea' });
    const sr = (await lines(summary.datasets.sr)).map((r) => SrRecordSchema.parse(r));
    expect(sr.every((r) => r.reflection.author === 'teacher' && r.messages[2].content.startsWith('Thought: Comparing what each action led to'))).toBe(true);
    const iwm = (await lines(summary.datasets.iwm)).map((r) => IwmRecordSchema.parse(r));
    expect(iwm.some((r) => r.proposer === 'policy@0.9')).toBe(true);
    const asked = server.requests.map((r) => r.messages[0].content);
    expect(asked.filter((c) => c === POLICY_SYSTEM_PROMPT)).toHaveLength(2 * summary.expertStates);
    expect(asked.filter((c) => c === REFLECTION_SYSTEM_PROMPT)).toHaveLength(summary.expertStates);
    expect(summary.llm.policy).toMatchObject({ calls: 2 * summary.expertStates, retries: 0, failures: 0 });
    expect(summary.llm.teacher).toMatchObject({ calls: summary.expertStates, retries: 0, failures: 0 });
    expect(summary.llm.policy.calls + summary.llm.teacher.calls).toBe(server.received);
  });

  it('refuses an AgentGym environment without a dataset of expert trajectories', async () => {
    const runtime = await testRuntime();
    const engine = await runtime.engine();

    const done = await engine.wait((await engine.start('early-experience', { env: 'http://127.0.0.1:9' })).id);

    expect(done.status).toBe('FAILED');
    expect(done.error).toEqual({ error: 'InvalidInputError', cause: expect.stringContaining('needs a dataset of expert trajectories') });
  });
});
