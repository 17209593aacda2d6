import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Fault, startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/runtime.ts';

let server: OpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** An endpoint that answers only 500 and 429, through the real openai SDK. */
async function failingEndpoint(): Promise<string> {
  server = await startOpenAIServer({ alwaysFail: [Fault.serverError, Fault.rateLimit] });
  return server.url;
}

/** A port nothing listens on: bound, then closed. */
async function closedEndpoint(): Promise<string> {
  const listener = net.createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as net.AddressInfo;
  await new Promise<void>((resolve) => listener.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}

async function env(role: 'experience' | 'policy', url: string): Promise<Record<string, string>> {
  const prefix = `REVERIE_${role.toUpperCase()}`;
  return { REVERIE_STORE: `file://${await tempDir()}`, [`${prefix}_BASE_URL`]: url, [`${prefix}_MODEL`]: 'm', [`${prefix}_MAX_RETRIES`]: '1' };
}

// Two CLI processes, or one workflow whose group Retry waits its real intervals (2 s, then 4 s, with jitter).
const SLOW = 150_000;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const endpoints = [
  { name: 'answering only 500 and 429', open: failingEndpoint, cause: 'HTTP (500|429) ' },
  { name: 'refusing connections', open: closedEndpoint, cause: 'Connection error\\. \\(ECONNREFUSED' },
] as const;

describe('a dead LLM endpoint', () => {
  it.each(endpoints)('makes `dreamgym consistency --model llm` exit 1 naming the endpoint ($name)', async ({ open, cause }) => {
    // Prepare
    const url = await open();
    const vars = await env('experience', url);
    await runCli(['dreamgym', 'offline', '--expert', '10', '--random', '10', '--dataset', 'tiny'], vars);

    // Act
    const result = await runCli(['dreamgym', 'consistency', '--env', 'shop', '--dataset', 'tiny', '--model', 'llm', '--held-out', '3', '--json'], vars);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^reverie: experience model at ${escape(url)} failed after 2 attempts: ${cause}`));
  }, SLOW);

  it.each(endpoints)('makes a synthetic `dreamgym run` on the LLM experience model exit 1 naming the endpoint ($name)', async ({ open, cause }) => {
    // Prepare
    const url = await open();
    const vars = await env('experience', url);

    // Act
    const result = await runCli(['dreamgym', 'run', '--mode', 'synthetic', '--experience-model', 'llm', '--iterations', '1', '--groups', '1', '--rollouts', '2', '--json'], vars);

    // Assess
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`experience model at ${escape(url)} failed after 2 attempts: ${cause}`));
  }, SLOW);

  it('makes a `dreamgym run` with the LLM policy exit 1 naming the policy endpoint', async () => {
    // Prepare
    const url = await failingEndpoint();
    const vars = await env('policy', url);

    // Act
    const result = await runCli(['dreamgym', 'run', '--mode', 'real', '--policy', 'llm', '--iterations', '1', '--groups', '1', '--rollouts', '2', '--json'], vars);

    // Assess
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`policy model at ${escape(url)} failed after 2 attempts: HTTP (500|429) `));
  }, SLOW);
});
