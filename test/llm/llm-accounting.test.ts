import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LlmMeter, withLlmMeter } from '../../core/llm/accounting.ts';
import { OpenAIEmbedder } from '../../core/llm/embeddings.ts';
import { LlmUnavailableError } from '../../core/llm/errors.ts';
import { OpenAIChatModel, type OpenAIChatModelOptions } from '../../core/llm/openai-chat-model.ts';
import { readLlmUsage, recordLlmUsage } from '../../core/llm/usage-records.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { tempDir } from '../helpers/runtime.ts';
import { Fault, startOpenAIServer, type OpenAIServer, type OpenAIServerOptions } from '../fixtures/openai-server.ts';

const servers: OpenAIServer[] = [];
async function serve(options: OpenAIServerOptions = {}): Promise<OpenAIServer> {
  const server = await startOpenAIServer(options);
  servers.push(server);
  return server;
}
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});

function chat(baseUrl: string, overrides: Partial<OpenAIChatModelOptions> = {}): OpenAIChatModel {
  return new OpenAIChatModel({
    role: 'policy', baseUrl, apiKey: 'k', model: 'm', concurrency: 8, timeoutMs: 2_000, maxRetries: 2, repairRetries: 1, retryBaseDelayMs: 2,
    ...overrides,
  });
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const ask = [{ role: 'user' as const, content: 'hello' }];

describe('LLM accounting by the client layer', () => {
  it('counts calls, retries and tokens of the calls made inside a scope', async () => {
    // Prepare
    const server = await serve({ respond: () => 'fine' });
    server.injectFaults(Fault.serverError, Fault.rateLimit);
    const llm = chat(server.url);
    const meter = new LlmMeter();

    // Act
    await withLlmMeter(meter, async () => {
      await llm.complete(ask);
      await llm.complete(ask);
    });

    // Assess
    const usage = meter.usage();
    expect(Object.keys(usage)).toEqual(['policy']);
    expect(usage.policy).toMatchObject({ calls: 2, retries: 2, failures: 0, schemaFailures: 0 });
    expect(usage.policy.promptTokens).toBeGreaterThan(0);
    expect(usage.policy.completionTokens).toBeGreaterThan(0);
  });

  it('counts the retries of a call that fails in the end, and the failure', async () => {
    // Prepare
    const server = await serve({ alwaysFail: [Fault.serverError, Fault.rateLimit] });
    const llm = chat(server.url, { maxRetries: 3 });
    const meter = new LlmMeter();

    // Act
    const failure = withLlmMeter(meter, () => llm.complete(ask));

    // Assess
    await expect(failure).rejects.toThrow(LlmUnavailableError);
    await expect(failure).rejects.toThrow(new RegExp(`^policy model at ${server.url.replace(/[./]/g, '\\$&')} failed after 4 attempts: HTTP (500|429) `));
    expect(meter.usage().policy).toMatchObject({ calls: 1, retries: 3, failures: 1 });
    expect(llm.ledger.snapshot()).toMatchObject({ failedCalls: 1, retries: 3 });
  });

  it('names the endpoint and the refused connection when nothing listens', async () => {
    // Prepare
    const url = `http://127.0.0.1:${await closedPort()}/v1`;
    const meter = new LlmMeter();

    // Act
    const failure = withLlmMeter(meter, () => chat(url, { maxRetries: 1 }).complete(ask));

    // Assess
    await expect(failure).rejects.toThrow(`policy model at ${url} failed after 2 attempts: Connection error. (ECONNREFUSED`);
    expect(meter.usage().policy).toMatchObject({ calls: 1, retries: 1, failures: 1 });
  });

  it('keeps concurrent scopes apart even when they share one client', async () => {
    // Prepare
    const server = await serve({ respond: () => 'ok', latencyMs: 5 });
    const shared = chat(server.url);
    const [a, b] = [new LlmMeter(), new LlmMeter()];

    // Act
    await Promise.all([
      withLlmMeter(a, async () => {
        for (let i = 0; i < 3; i++) await shared.complete(ask);
      }),
      withLlmMeter(b, () => Promise.all(Array.from({ length: 5 }, () => shared.complete(ask)))),
    ]);

    // Assess
    expect(a.usage().policy.calls).toBe(3);
    expect(b.usage().policy.calls).toBe(5);
    expect(shared.ledger.snapshot().calls).toBe(8);
  });

  it('counts schema failures after the repair retry, and embeddings under their own role', async () => {
    // Prepare
    const server = await serve({ respond: () => '{"wrong": true}' });
    const llm = chat(server.url, { role: 'teacher' });
    const embedder = new OpenAIEmbedder({ baseUrl: server.url, apiKey: 'k', model: 'e', concurrency: 4, timeoutMs: 2_000, maxRetries: 1, repairRetries: 0 });
    const meter = new LlmMeter();

    // Act
    await withLlmMeter(meter, async () => {
      await llm.completeStructured(ask, z.object({ label: z.string() })).catch(() => undefined);
      await embedder.embed(['one text', 'another text']);
    });

    // Assess
    expect(meter.usage().teacher).toMatchObject({ calls: 2, schemaFailures: 1, failures: 0 });
    expect(meter.usage().embeddings).toMatchObject({ calls: 1, failures: 0, completionTokens: 0 });
    expect(meter.usage().embeddings.promptTokens).toBeGreaterThan(0);
  });

  it('stores each attempt of a unit of work, failed ones included, and sums them', async () => {
    // Prepare
    const server = await serve({ respond: () => 'ok' });
    const store = new FileStore(await tempDir());
    const llm = chat(server.url);
    server.injectFaults(Fault.serverError, Fault.serverError, Fault.serverError);

    // Act
    const first = recordLlmUsage(store, 'runs/r1/llm/000001/group-000000', () => llm.complete(ask));
    await expect(first).rejects.toThrow(LlmUnavailableError);
    await recordLlmUsage(store, 'runs/r1/llm/000001/group-000000', () => llm.complete(ask));
    await recordLlmUsage(store, 'runs/r1/llm/000001/evaluate', async () => 'no calls');

    // Assess
    const usage = await readLlmUsage(store, 'runs/r1/llm/000001');
    expect(usage.policy).toMatchObject({ calls: 2, retries: 2, failures: 1 });
    const evaluate: string[] = [];
    for await (const object of store.list('runs/r1/llm/000001/evaluate/')) evaluate.push(object.key);
    expect(evaluate).toEqual([]);
  });
});
