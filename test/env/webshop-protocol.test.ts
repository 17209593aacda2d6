import { afterEach, describe, expect, it } from 'vitest';
import { createAgentGymEnvironment } from '../../core/env/agentgym/agentgym-environment.ts';
import { environmentDataKey } from '../../core/env/environment-kinds.ts';
import { candidateActions } from '../../core/env/candidate-actions.ts';
import { INVALID_ACTION_TEXT } from '../../core/env/environment.ts';
import { createUniformPolicy } from '../../core/env/uniform-policy.ts';
import { generateOfflineTrajectories } from '../../core/dreamgym/offline/generate.ts';
import { startWebShopServer } from '../fixtures/webshop/server.ts';
import type { WebShopFixture, WebShopFixtureOptions } from '../fixtures/webshop/server.ts';

const fastRetry = { retries: 4, baseDelayMs: 1, maxDelayMs: 4 };
const fixtures: WebShopFixture[] = [];

async function serve(options: WebShopFixtureOptions = {}) {
  const fixture = await startWebShopServer(options);
  fixtures.push(fixture);
  return fixture;
}

afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.stop()));
});

describe('AgentGym client against a WebShop-protocol server', () => {
  it('offers search[<query>] on a page whose only clickable is the search button, filled from the instruction', async () => {
    // Prepare
    const fixture = await serve();
    const env = createAgentGymEnvironment({ baseUrl: fixture.url, retry: fastRetry });
    const session = await env.open();
    const [task] = await env.tasks({ offset: 3, count: 1 });
    // Act
    const first = await session.reset(task);
    const offered = await candidateActions(session, session.task!.instruction, first.text);
    const result = await session.step(offered[0]);
    // Assess
    expect(first.text).toMatch(/^WebShop \[SEP\] Instruction: \[SEP\] i need a .+ \[SEP\] Search$/);
    expect(await session.admissibleActions()).not.toContain('click[search]');
    expect(offered.length).toBeGreaterThan(0);
    expect(offered.every((a) => /^search\[[a-z0-9 '-]+\]$/.test(a))).toBe(true);
    expect(result.valid).toBe(true);
    expect(result.observation.text).toContain('Page 1 (Total results: 50)');
    expect((await session.admissibleActions()).filter((a) => /^click\[b0/.test(a))).toHaveLength(10);
  });

  it('knows the instruction at reset, from /instruction_text or else from the first observation', async () => {
    for (const instructionText of [true, false]) {
      const fixture = await serve({ instructionText });
      const env = createAgentGymEnvironment({ baseUrl: fixture.url, retry: fastRetry });
      const session = await env.open();
      await session.reset({ id: '5', instruction: '' });
      expect(session.task?.instruction).toBe(fixture.world.goal(5).instruction);
    }
  });

  it('sends an invalid action to the server and records its answer: the same page, not done, marked invalid', async () => {
    const fixture = await serve();
    const session = await createAgentGymEnvironment({ baseUrl: fixture.url, retry: fastRetry }).open();
    const first = await session.reset({ id: '1', instruction: '' });
    // Act
    const result = await session.step('click[buy now]');
    // Assess
    expect(fixture.requests.filter((r) => r.path === '/step')).toHaveLength(1);
    expect(result).toMatchObject({ reward: 0, done: false, valid: false });
    expect(result.observation.text).toBe(first.text);
  });

  it('filters invalid actions locally, never sending them, only when the spec asks for it', async () => {
    const fixture = await serve();
    const session = await createAgentGymEnvironment({ baseUrl: `${fixture.url}#filter-invalid=1`, retry: fastRetry }).open();
    await session.reset({ id: '1', instruction: '' });
    const result = await session.step('click[buy now]');
    expect(result).toMatchObject({ reward: 0, done: true, valid: false });
    expect(result.observation.text).toBe(INVALID_ACTION_TEXT);
    expect(fixture.requests.filter((r) => r.path === '/step')).toHaveLength(0);
  });

  it('retries 503 answers until the server is free', async () => {
    const fixture = await serve();
    const env = createAgentGymEnvironment({ baseUrl: fixture.url, retry: fastRetry });
    fixture.failNext(3);
    const session = await env.open();
    await session.reset({ id: '2', instruction: '' });
    expect(fixture.requests.filter((r) => r.status === 503)).toHaveLength(3);
    expect(session.task?.instruction).toBe(fixture.world.goal(2).instruction);
  });

  it('plays uniform-random offline episodes of more than two steps on average', async () => {
    const fixture = await serve();
    const env = createAgentGymEnvironment({ baseUrl: fixture.url, retry: fastRetry, maxSteps: 15 });
    const tasks = await env.tasks({ offset: 1500, count: 40 });
    const records = [];
    for await (const record of generateOfflineTrajectories({
      env, tasks, policies: { random: createUniformPolicy() }, plan: { random: 40 }, seed: 3, concurrency: 4,
    })) records.push(record);
    const steps = records.map((r) => r.steps.length);
    const mean = steps.reduce((a, b) => a + b, 0) / steps.length;
    expect(mean).toBeGreaterThan(2);
    expect(records.some((r) => r.steps.some((s) => s.action.startsWith('search[') && s.nextState.includes('Total results')))).toBe(true);
    expect(records.every((r) => r.task.instruction.startsWith('i need a'))).toBe(true);
  });

  it('keys what it derives from a server by the server and its settings', async () => {
    expect(environmentDataKey('shop')).toBe('shop');
    const a = environmentDataKey('http://127.0.0.1:36001');
    expect(a).toMatch(/^webshop-[a-z0-9]+$/);
    expect(a).toBe('webshop-1d95qr6'); // the key stored datasets and buffers already carry
    expect(environmentDataKey('http://127.0.0.1:36002')).not.toBe(a);
    expect(environmentDataKey('http://127.0.0.1:36001#profile=alfworld')).toMatch(/^alfworld-/);
  });
});
