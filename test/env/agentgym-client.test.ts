import { afterEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../core/errors.ts';
import { createAgentGymEnvironment } from '../../core/env/agentgym/agentgym-environment.ts';
import type { AgentGymOptions } from '../../core/env/agentgym/agentgym-environment.ts';
import { INVALID_ACTION_TEXT } from '../../core/env/environment.ts';
import { ReplayDivergenceError } from '../../core/env/errors.ts';
import { createShopExpert } from '../../core/env/shop/expert.ts';
import { createShopEnvironment } from '../../core/env/shop/shop-environment.ts';
import { runEpisode } from '../../core/dreamgym/offline/run-episode.ts';
import { createRng } from '../../core/random.ts';
import { startAgentGymServer } from '../fixtures/agentgym-server.ts';
import type { AgentGymFixture, AgentGymFixtureOptions } from '../fixtures/agentgym-server.ts';

const fastRetry = { retries: 3, baseDelayMs: 1, maxDelayMs: 4 };
const shop = createShopEnvironment({ seed: 0 });
const fixtures: AgentGymFixture[] = [];

async function serve(options: AgentGymFixtureOptions = {}) {
  const fixture = await startAgentGymServer(options);
  fixtures.push(fixture);
  return fixture;
}

function client(fixture: AgentGymFixture, options: Partial<AgentGymOptions> = {}) {
  return createAgentGymEnvironment({ baseUrl: fixture.url, retry: fastRetry, maxSteps: 15, ...options });
}

afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.stop()));
});

describe('AgentGym client against the shop fixture server', () => {
  it('plays the same episodes over HTTP as the in-process shop', async () => {
    // Prepare: expert episodes in process
    const fixture = await serve();
    const env = client(fixture);
    const expert = createShopExpert(shop.catalog);
    for (const index of [0, 1, 2]) {
      const local = await runEpisode(await shop.open(), shop.task(index), expert, createRng(index));
      // Act: the same actions through the HTTP client
      const session = await env.open();
      const [task] = await env.tasks({ offset: index, count: 1 });
      const first = await session.reset(task);
      const remote = [];
      for (const step of local.steps) {
        const admissible = await session.admissibleActions();
        const result = await session.step(step.action);
        remote.push({ ...step, state: '', nextState: result.observation.text, reward: result.reward, done: result.done,
          valid: result.valid, admissibleActions: admissible });
      }
      // Assess
      expect(first.text).toBe('page: search');
      expect(session.task?.instruction).toBe(shop.task(index).instruction);
      expect(remote).toEqual(local.steps.map((s) => ({ ...s, state: '' })));
      expect(remote.at(-1)!.reward).toBe(1);
      await session.close();
    }
  });

  it('with local filtering, turns a non-admissible action into the failure state without sending it', async () => {
    const fixture = await serve();
    const session = await createAgentGymEnvironment({ baseUrl: `${fixture.url}#filter-invalid=1`, retry: fastRetry, maxSteps: 15 }).open();
    await session.reset({ id: '0', instruction: '' });
    // Act
    const result = await session.step('click[buy now]');
    // Assess
    expect(result).toMatchObject({ reward: 0, done: true, valid: false });
    expect(result.observation.text).toBe(INVALID_ACTION_TEXT);
    expect(fixture.requests.filter((r) => r.path === '/step')).toHaveLength(0);
    expect(await session.admissibleActions()).toEqual([]);
  });

  it('accepts free-text searches where the server reports a search bar', async () => {
    const fixture = await serve();
    const session = await client(fixture).open();
    await session.reset({ id: '4', instruction: '' });
    const result = await session.step('search[waterproof backpack]');
    expect(result.valid).toBe(true);
    expect(result.observation.text).toContain('query: waterproof backpack');
  });

  it('ends an episode at its step limit', async () => {
    const fixture = await serve();
    const session = await client(fixture, { maxSteps: 2 }).open();
    await session.reset({ id: '0', instruction: '' });
    await session.step('search[jeans]');
    const second = await session.step('click[next >]');
    expect(second).toMatchObject({ done: true, valid: true, info: { truncated: true } });
  });

  it('lets the server judge actions when it has no available_actions endpoint', async () => {
    const fixture = await serve({ availableActions: false, instructionText: false });
    const session = await client(fixture).open();
    await session.reset({ id: '0', instruction: 'given' });
    // Act
    const admissible = await session.admissibleActions();
    const result = await session.step('click[buy now]');
    // Assess
    expect(admissible).toEqual([]);
    expect(session.task?.instruction).toBe('given');
    expect(fixture.requests.filter((r) => r.path === '/step')).toHaveLength(1);
    expect(result).toMatchObject({ valid: false, done: true, reward: 0 });
    expect(fixture.requests.filter((r) => r.path === '/available_actions')).toHaveLength(1);
  });
});

describe('AgentGym client failures', () => {
  it('retries 503 answers with backoff and then succeeds', async () => {
    const fixture = await serve();
    fixture.failNext(2);
    // Act
    const session = await client(fixture).open();
    await session.reset({ id: '0', instruction: '' });
    // Assess
    expect(fixture.requests.slice(0, 3).map((r) => [r.path, r.status])).toEqual([
      ['/create', 503], ['/create', 503], ['/create', 200],
    ]);
  });

  it('gives up after the configured retries with an UnavailableError naming the URL', async () => {
    const fixture = await serve();
    fixture.failNext(100);
    const error = await client(fixture).open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).toContain(`${fixture.url}/create`);
    expect((error as Error).message).toContain('after 4 attempts');
    expect(fixture.requests).toHaveLength(4);
  });

  it('reports a server that is down with a clear UnavailableError', async () => {
    // Prepare
    const fixture = await serve();
    await fixture.stop();
    // Act
    const error = await client(fixture).open().catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(UnavailableError);
    const message = (error as Error).message;
    expect(message).toContain(`${fixture.url}/create is unavailable after 4 attempts`);
    expect(message).toContain('ECONNREFUSED');
  });

  it('does not retry other server errors', async () => {
    const fixture = await serve();
    const session = await client(fixture).open();
    await session.reset({ id: '0', instruction: '' });
    fixture.failSteps(500);
    await expect(session.step('search[jeans]')).rejects.toThrow(/HTTP 500/);
    expect(fixture.requests.filter((r) => r.path === '/step')).toHaveLength(1);
  });
});

describe('AgentGym snapshot and restore', () => {
  it('restore by replaying the action prefix and then continue like the original', async () => {
    // Prepare
    const fixture = await serve();
    const env = client(fixture);
    const original = await env.open();
    await original.reset({ id: '3', instruction: '' });
    await original.step(`search[${shop.task(3).goal.productType}]`);
    await original.step('click[next >]');
    const snapshot = JSON.parse(JSON.stringify(await original.snapshot()));
    // Act
    const copy = await env.open();
    const restored = await copy.restore(snapshot);
    // Assess
    expect(snapshot.actions).toEqual([`search[${shop.task(3).goal.productType}]`, 'click[next >]']);
    expect(restored.text).toContain('showing: page 2 of');
    const [a, b] = [await original.step('click[< prev]'), await copy.step('click[< prev]')];
    expect(b).toEqual(a);
  });

  it('report a replay whose observations differ with a ReplayDivergenceError', async () => {
    const fixture = await serve();
    const session = await client(fixture).open();
    await session.reset({ id: '3', instruction: '' });
    await session.step('search[jeans]');
    const snapshot = await session.snapshot();
    const tampered = { ...snapshot, observationHashes: [(snapshot.observationHashes as number[])[0], 12345] };
    const error = await session.restore(tampered).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplayDivergenceError);
    expect((error as ReplayDivergenceError).step).toBe(1);
    expect((error as Error).message).toContain('search[jeans]');
  });
});
