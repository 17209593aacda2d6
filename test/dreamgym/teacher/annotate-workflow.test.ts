import { afterEach, describe, expect, it } from 'vitest';
import { readAnnotationPlan } from '../../../core/dreamgym/teacher/plan.ts';
import { readSftDataset, readSftDatasetInfo } from '../../../core/dreamgym/teacher/sft-dataset.ts';
import { sftChunkPrefix } from '../../../core/dreamgym/teacher/sft-keys.ts';
import type { Store } from '../../../core/store/store.ts';
import { Fault, startOpenAIServer, type ChatRequestBody, type OpenAIServer, type OpenAIServerOptions } from '../../fixtures/openai-server.ts';
import { testRuntime } from '../../helpers/runtime.ts';
import { explainingTeacher, writeShopDataset } from './helpers.ts';

let server: OpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(options: OpenAIServerOptions = { respond: explainingTeacher }, env: Record<string, string> = {}) {
  server = await startOpenAIServer(options);
  const runtime = await testRuntime({
    env: { REVERIE_TEACHER_BASE_URL: server.url, REVERIE_TEACHER_MODEL: 'm', REVERIE_TEACHER_MAX_RETRIES: '0', REVERIE_TEACHER_TIMEOUT_MS: '5000', ...env },
  });
  const { records } = await writeShopDataset(runtime.store);
  return { runtime, records, server, engine: await runtime.engine() };
}

async function listKeys(store: Store, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of store.list(prefix)) keys.push(info.key);
  return keys;
}

const input = { dataset: 'shop-small', chunkSize: 8, maxConcurrency: 2, chunkConcurrency: 3 };
const isAbout = (request: ChatRequestBody, instruction: string) => request.messages[1]?.content.includes(instruction);

describe('dreamgym-annotate workflow on the local engine', () => {
  it('annotates every offline transition into committed chunks and describes the SFT dataset', async () => {
    // Prepare
    const { runtime, records, engine, server } = await setup();
    server.setLatency(20);
    const transitions = records.reduce((n, r) => n + r.steps.length, 0);

    // Act
    const done = await engine.wait((await engine.start('dreamgym-annotate', input)).id);

    // Assess
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toMatchObject({ id: 'shop-small-sft', transitions, records: transitions, skipped: 0, failedChunks: 0, complete: true });
    const { descriptor, records: lines } = await readSftDataset(runtime.store, 'shop-small-sft');
    expect(descriptor).toMatchObject({ kind: 'experience-sft', format: 'chat-messages-jsonl', source: { dataset: 'shop-small', env: 'shop' }, teacherModel: 'm' });
    expect(descriptor.chunks).toBeGreaterThanOrEqual(4);
    expect(descriptor.files).toHaveLength(descriptor.chunks);
    expect(descriptor.usage.answers).toBe(transitions);
    expect(descriptor.usage.totalTokens).toBeGreaterThan(0);
    expect(lines.map((l) => l.id)).toEqual(records.flatMap((r) => r.steps.map((_, i) => `${r.id}#${i}`)));
    expect(lines.every((l) => l.messages.map((m) => m.role).join() === 'system,user,assistant')).toBe(true);
    // chunks run side by side (maxConcurrency 2) and so do calls within a chunk (chunkConcurrency 3)
    expect(server.maxInFlight).toBeGreaterThan(3);
    expect(server.maxInFlight).toBeLessThanOrEqual(6);
  });

  it('reports the teacher\'s retried 5xx in the workflow\'s output, not only in a chunk manifest', async () => {
    // Prepare
    const { runtime, engine, server } = await setup({ respond: explainingTeacher }, { REVERIE_TEACHER_MAX_RETRIES: '3' });
    server.injectFaults(Fault.serverError, Fault.serverError, Fault.rateLimit);

    // Act
    const done = await engine.wait((await engine.start('dreamgym-annotate', input)).id);

    // Assess
    expect(done.status).toBe('SUCCEEDED');
    const output = done.output as { llm: Record<string, { calls: number; retries: number; failures: number }> };
    expect(output.llm.teacher).toMatchObject({ retries: 3, failures: 0 });
    expect(output.llm.teacher.calls + output.llm.teacher.retries).toBe(server.received);
    expect((await readSftDatasetInfo(runtime.store, 'shop-small-sft')).llm).toEqual(output.llm);
  });

  it('re-running with the same input calls no teacher and rewrites nothing', async () => {
    // Prepare
    const { runtime, engine, server } = await setup();
    await engine.wait((await engine.start('dreamgym-annotate', input)).id);
    const requests = server.requests.length;
    const firstChunk = `${sftChunkPrefix('shop-small-sft', 0)}/records.jsonl`;
    const before = await runtime.store.get(firstChunk);
    const keysBefore = await listKeys(runtime.store, 'dreamgym/sft/');

    // Act
    const again = await engine.wait((await engine.start('dreamgym-annotate', input)).id);

    // Assess
    expect(again.status).toBe('SUCCEEDED');
    expect(server.requests.length).toBe(requests);
    expect(await runtime.store.get(firstChunk)).toEqual(before);
    expect(await listKeys(runtime.store, 'dreamgym/sft/')).toEqual(keysBefore);
    const { records } = await readSftDataset(runtime.store, 'shop-small-sft');
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
    expect(again.output).toMatchObject({ records: records.length, complete: true });
  });

  it('fails at once with an error naming REVERIE_TEACHER_BASE_URL when no teacher is configured', async () => {
    // Prepare
    const runtime = await testRuntime();
    await writeShopDataset(runtime.store);
    const engine = await runtime.engine();

    // Act
    const done = await engine.wait((await engine.start('dreamgym-annotate', input)).id);

    // Assess
    expect(done.status).toBe('FAILED');
    expect(done.error).toEqual({ error: 'TeacherNotConfiguredError', cause: expect.stringContaining('REVERIE_TEACHER_BASE_URL') });
    expect(done.progress).toMatchObject({ tasksSucceeded: 0, retries: 0, mapIterationsStarted: 0 });
    expect(await listKeys(runtime.store, 'dreamgym/sft/')).toEqual([]);
  });

  it('lists transitions whose answers fail the schema as skipped and commits the rest', async () => {
    // Prepare
    const { runtime, records, engine, server } = await setup({ respond: (request) => (isAbout(request, '# Action\nclick[buy now]') ? 'no idea' : explainingTeacher(request)) });
    const buys = records.flatMap((r) => r.steps.map((s, i) => ({ s, id: `${r.id}#${i}` }))).filter(({ s }) => s.action === 'click[buy now]');

    // Act
    const done = await engine.wait((await engine.start('dreamgym-annotate', input)).id);

    // Assess
    expect(buys.length).toBeGreaterThan(0);
    expect(done.status).toBe('SUCCEEDED');
    const info = await readSftDatasetInfo(runtime.store, 'shop-small-sft');
    expect(info.skipped.map((s) => s.id).sort()).toEqual(buys.map((b) => b.id).sort());
    expect(info.records).toBe(info.transitions - buys.length);
    const { records: lines } = await readSftDataset(runtime.store, 'shop-small-sft');
    expect(lines.some((l) => buys.some((b) => b.id === l.id))).toBe(false);
    expect(server.requests.length).toBe(info.transitions + buys.length);
  });

  it('reports chunks whose endpoint stayed down, and a re-run finishes only those', async () => {
    // Prepare
    let down = true;
    const { runtime, records, engine, server } = await setup({
      respond: (request) => {
        if (down && isAbout(request, records.at(-1)!.task.instruction)) throw new Error('backend overloaded');
        return explainingTeacher(request);
      },
    });
    const last = records.at(-1)!;

    // Act
    const failed = await engine.wait((await engine.start('dreamgym-annotate', input)).id);
    const info = await readSftDatasetInfo(runtime.store, 'shop-small-sft');
    const requestsBefore = server.requests.length;
    down = false;
    const resumed = await engine.wait((await engine.start('dreamgym-annotate', input)).id);

    // Assess
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toEqual({ error: 'AnnotationIncomplete', cause: expect.stringMatching(/1 of \d+ chunks failed \(chunk \d+: LlmUnavailableError: .*re-run/) });
    expect(failed.progress!.retries).toBe(4);
    const plan = await readAnnotationPlan(runtime.store, 'shop-small-sft');
    const lost = plan.chunks.find((c) => c.index === info.failedChunks[0].chunk)!;
    expect(info).toMatchObject({ complete: false, records: info.transitions - lost.transitions });
    expect(info.failedChunks).toHaveLength(1);
    expect(resumed.status).toBe('SUCCEEDED');
    expect(resumed.output).toMatchObject({ complete: true, records: info.transitions, failedChunks: 0 });
    const resumedRequests = server.requests.slice(requestsBefore);
    expect(resumedRequests).toHaveLength(lost.transitions);
    expect(resumedRequests.filter((r) => isAbout(r, last.task.instruction))).toHaveLength(last.steps.length);
  });

  it('refuses to resume an SFT dataset with different settings', async () => {
    // Prepare
    const { engine } = await setup();
    await engine.wait((await engine.start('dreamgym-annotate', input)).id);

    // Act
    const done = await engine.wait((await engine.start('dreamgym-annotate', { ...input, chunkSize: 5 })).id);

    // Assess
    expect(done.status).toBe('FAILED');
    expect(done.error).toEqual({ error: 'ConflictError', cause: expect.stringMatching(/planned with chunkSize 8 \(now 5\).*another output id/) });
  });
});

describe('dreamgym-annotate with a replay buffer', () => {
  it('puts similar transitions from other trajectories (D_k) into every teacher prompt', async () => {
    // Prepare
    const { runtime, engine, server } = await setup();
    const { ReplayBuffer, seedReplayBuffer } = await import('../../../core/dreamgym/replay/index.ts');
    const { HashedTextEmbedder } = await import('../../../core/dreamgym/embed/hashed-embedder.ts');
    await seedReplayBuffer(await ReplayBuffer.open({ store: runtime.store, id: 'small-buffer', embedder: new HashedTextEmbedder() }), 'shop-small');

    // Act
    const done = await engine.wait((await engine.start('dreamgym-annotate', { ...input, output: 'with-dk', buffer: 'small-buffer', k: 2 })).id);

    // Assess
    expect(done.status).toBe('SUCCEEDED');
    const prompts = server.requests.map((r) => r.messages[1].content);
    expect(prompts.length).toBeGreaterThan(10);
    expect(prompts.every((p) => !p.includes('(none retrieved)'))).toBe(true);
    const { records } = await readSftDataset(runtime.store, 'with-dk');
    expect(records.every((r) => !r.messages[1].content.includes('(none retrieved)'))).toBe(true);
  });
});
