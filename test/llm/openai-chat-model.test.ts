import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LlmOutputError, LlmUnavailableError } from '../../core/llm/errors.ts';
import { OpenAIChatModel, type OpenAIChatModelOptions } from '../../core/llm/openai-chat-model.ts';
import { OpenAIEmbedder } from '../../core/llm/embeddings.ts';
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

function model(server: OpenAIServer, overrides: Partial<OpenAIChatModelOptions> = {}): OpenAIChatModel {
  return new OpenAIChatModel({
    role: 'teacher', baseUrl: server.url, apiKey: 'k', model: 'test-model',
    concurrency: 8, timeoutMs: 2_000, maxRetries: 3, repairRetries: 1, retryBaseDelayMs: 5,
    ...overrides,
  });
}

const Verdict = z.object({ label: z.enum(['good', 'bad']), score: z.number() });
const ask = [{ role: 'user' as const, content: 'judge this' }];

describe('OpenAIChatModel', () => {
  it('completes a chat and accounts for its tokens', async () => {
    const server = await serve({ respond: () => 'hello there' });
    const llm = model(server);
    const result = await llm.complete([{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }]);
    expect(result.text).toBe('hello there');
    expect(result.usage.totalTokens).toBeGreaterThan(0);
    expect(llm.ledger.snapshot()).toMatchObject({ calls: 1, retries: 0, totalTokens: result.usage.totalTokens });
    expect(server.requests[0].model).toBe('test-model');
  });

  it('asks for a JSON schema and parses the answer, tolerating code fences', async () => {
    const server = await serve({ respond: () => '```json\n{"label":"good","score":0.9}\n```' });
    const { value, repairs } = await model(server).completeStructured(ask, Verdict, { name: 'verdict' });
    expect(value).toEqual({ label: 'good', score: 0.9 });
    expect(repairs).toBe(0);
    const format = server.requests[0].response_format!;
    expect(format.type).toBe('json_schema');
    expect(format.json_schema!.name).toBe('verdict');
    expect(JSON.stringify(format.json_schema!.schema)).toContain('"label"');
  });

  it('retries 429s, 500s and malformed bodies with backoff, then succeeds', async () => {
    const server = await serve({ respond: () => 'ok' });
    server.injectFaults(Fault.rateLimit, Fault.serverError, Fault.malformedBody);
    const llm = model(server);
    const result = await llm.complete(ask);
    expect(result.text).toBe('ok');
    expect(result.usage.attempts).toBe(4);
    expect(llm.ledger.snapshot().retries).toBe(3);
  });

  it('retries a request that times out', async () => {
    const server = await serve({ respond: () => 'late but fine' });
    server.injectFaults(Fault.timeout);
    const result = await model(server, { timeoutMs: 200 }).complete(ask);
    expect(result.text).toBe('late but fine');
    expect(result.usage.attempts).toBe(2);
  });

  it('gives up after its retry budget with an error naming the endpoint', async () => {
    const server = await serve();
    server.injectFaults(Fault.serverError, Fault.serverError, Fault.serverError);
    const llm = model(server, { maxRetries: 2 });
    const failure = llm.complete(ask);
    await expect(failure).rejects.toThrow(LlmUnavailableError);
    await expect(failure).rejects.toThrow(server.url);
    expect(llm.ledger.snapshot().failedCalls).toBe(1);
  });

  it('repairs an answer that fails the schema by naming the problem in a follow-up', async () => {
    let calls = 0;
    const server = await serve({ respond: () => (++calls === 1 ? '{"label":"maybe","score":1}' : '{"label":"bad","score":0.1}') });
    const llm = model(server);
    const { value, repairs } = await llm.completeStructured(ask, Verdict);
    expect(value).toEqual({ label: 'bad', score: 0.1 });
    expect(repairs).toBe(1);
    const followUp = server.requests[1].messages.at(-1)!.content;
    expect(followUp).toMatch(/label/);
    expect(server.requests[1].messages.at(-2)!.content).toBe('{"label":"maybe","score":1}');
    expect(llm.ledger.snapshot().repairs).toBe(1);
  });

  it('fails with LlmOutputError and counts it when the repair budget is spent', async () => {
    const server = await serve();
    server.injectFaults(Fault.malformedContent, Fault.malformedContent);
    const llm = model(server, { repairRetries: 1 });
    await expect(llm.completeStructured(ask, Verdict)).rejects.toThrow(LlmOutputError);
    expect(llm.ledger.snapshot().schemaFailures).toBe(1);
    expect(server.requests).toHaveLength(2);
  });

  it('keeps at most the configured number of requests in flight per endpoint', async () => {
    const server = await serve({ respond: () => 'ok', latencyMs: 40 });
    const llm = model(server, { concurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, () => llm.complete(ask)));
    expect(server.maxInFlight).toBe(3);
  });

  it('does not retry a request the server rejects as bad', async () => {
    const server = await serve({ respond: () => 'never reached' });
    server.injectFaults(Fault.badRequest, Fault.badRequest);
    const llm = model(server);
    await expect(llm.complete(ask)).rejects.toThrow(/HTTP 400/);
    expect(llm.ledger.snapshot()).toMatchObject({ calls: 0, failedCalls: 1, retries: 0 });
  });
});

function llmOptions(server: OpenAIServer): OpenAIChatModelOptions {
  return { role: 'policy', baseUrl: server.url, apiKey: 'k', model: 'm', concurrency: 2, timeoutMs: 1000, maxRetries: 3, repairRetries: 1, retryBaseDelayMs: 5 };
}

describe('OpenAIEmbedder', () => {
  it('returns one unit vector per text, in order, similar texts closer', async () => {
    const server = await serve({ embedDimension: 32 });
    const embedder = new OpenAIEmbedder({ ...llmOptions(server), batchSize: 2 });
    const [a, b, c] = await embedder.embed(['red cotton shirt', 'red cotton shirt size m', 'steel kitchen knife']);
    const dot = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + v * y[i], 0);
    expect(dot(a, a)).toBeCloseTo(1, 5);
    expect(dot(a, b)).toBeGreaterThan(dot(a, c));
    expect(embedder.dimension).toBe(32);
  });
});
