import { afterEach, describe, expect, it } from 'vitest';
import { createShopEnvironment } from '../../../core/env/shop/index.ts';
import { ExperienceStepSchema } from '../../../core/dreamgym/experience/experience-model.ts';
import { LlmExperienceModel } from '../../../core/dreamgym/experience/llm/llm-experience-model.ts';
import { SHOP_EXPERIENCE_RULES } from '../../../core/env/shop/experience-rules.ts';
import { generateOfflineTrajectories } from '../../../core/dreamgym/offline/generate.ts';
import { shopOfflinePolicies } from '../../../core/env/shop/offline-policies.ts';
import type { TrajectoryRecord } from '../../../core/dreamgym/offline/trajectory-record.ts';
import { startOpenAIServer, type OpenAIServer } from '../../fixtures/openai-server.ts';
import { bufferedTransitions, chatModel, WordOverlapRetriever } from './helpers.ts';

const RESULTS = 'page: results\nquery: shirt\nshowing: page 1 of 1, 1 results\nP0001: acme shirt $10.00';
const answer = JSON.stringify({ reasoning: 'Searching shows the results page.', nextState: RESULTS, reward: 0, done: false, valid: true });

let server: OpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function offlineRecords(): Promise<TrajectoryRecord[]> {
  const shop = createShopEnvironment({ seed: 1, catalogSize: 300 });
  const records: TrajectoryRecord[] = [];
  const generated = generateOfflineTrajectories({
    env: shop, tasks: await shop.tasks({ count: 10 }), policies: shopOfflinePolicies(shop), plan: { expert: 4, random: 2 }, seed: 1,
  });
  for await (const record of generated) records.push(record);
  return records;
}

describe('the LLM experience model prompt', () => {
  it('sends the task, the history, the retrieved transitions, the state and the action', async () => {
    // Prepare
    server = await startOpenAIServer({ respond: () => answer });
    const records = await offlineRecords();
    const [episode, ...others] = records;
    const retriever = new WordOverlapRetriever(bufferedTransitions(others));
    const model = new LlmExperienceModel({ chat: chatModel(server), env: 'shop', retriever, k: 2 });
    const history = episode.steps.slice(0, 2).map(({ state, action }) => ({ state, action }));
    const { state, action } = episode.steps[2];

    // Act
    await model.step({ task: episode.task, history, state, action });

    // Assess
    const [system, user] = server.requests[0].messages;
    expect(system.role).toBe('system');
    expect(user.role).toBe('user');
    expect(user.content).toContain(`# Task\n${episode.task.instruction}`);
    expect(user.content).toContain(`Step 1\nState:\n${history[0].state}\nAction: ${history[0].action}`);
    expect(user.content).toContain(`Step 2\nState:\n${history[1].state}\nAction: ${history[1].action}`);
    expect(user.content).toContain(`# Current state\n${state}`);
    expect(user.content.endsWith(`# Action\n${action}`)).toBe(true);
    const retrieved = await retriever.retrieve(state, action, 2);
    expect(retrieved).toHaveLength(2);
    for (const { transition } of retrieved) {
      expect(user.content).toContain(`Action: ${transition.action}\nNext state:\n${transition.nextState}`);
    }
    expect(retriever.calls[0]).toEqual({ state, action, k: 2 });
  });

  it('keeps the static prefix byte-identical across steps and tasks, and task-free', async () => {
    // Prepare
    server = await startOpenAIServer({ respond: () => answer });
    const records = await offlineRecords();
    const model = new LlmExperienceModel({ chat: chatModel(server), env: 'shop', retriever: new WordOverlapRetriever(bufferedTransitions(records)) });

    // Act
    for (const record of records.slice(0, 3)) {
      for (let i = 0; i < Math.min(3, record.steps.length); i++) {
        const history = record.steps.slice(0, i).map(({ state, action }) => ({ state, action }));
        await model.step({ task: record.task, history, state: record.steps[i].state, action: record.steps[i].action });
      }
    }

    // Assess
    const systems = new Set(server.requests.map((r) => r.messages[0].content));
    expect(server.requests.length).toBeGreaterThanOrEqual(7);
    expect(systems.size).toBe(1);
    const [prefix] = systems;
    expect(prefix).toContain(SHOP_EXPERIENCE_RULES.text);
    for (const record of records) expect(prefix).not.toContain(record.task.instruction);
    // within an episode, step t+1's prompt starts with step t's prompt up to the end of its history
    const first = server.requests[1].messages[1].content;
    const next = server.requests[2].messages[1].content;
    expect(next.startsWith(first.slice(0, first.indexOf('# Similar transitions')).replace(/\n\n$/, ''))).toBe(true);
  });

  it('orders D_k by similarity then id, whatever order the retriever returns them in', async () => {
    // Prepare
    server = await startOpenAIServer({ respond: () => answer });
    const records = await offlineRecords();
    const transitions = bufferedTransitions(records.slice(1));
    const step = { task: records[0].task, history: [], state: records[0].steps[0].state, action: records[0].steps[0].action };
    const inOrder = new LlmExperienceModel({ chat: chatModel(server), retriever: new WordOverlapRetriever(transitions), k: 4 });
    const reversed = new LlmExperienceModel({ chat: chatModel(server), retriever: new WordOverlapRetriever(transitions, { shuffle: true }), k: 4 });

    // Act
    await inOrder.step(step);
    await reversed.step(step);

    // Assess
    const [a, b] = server.requests.map((r) => r.messages[1].content);
    expect(a).toBe(b);
    const similarities = [...a.matchAll(/Example \d+ \(similarity ([\d.]+)\)/g)].map((m) => Number(m[1]));
    expect(similarities).toHaveLength(4);
    expect([...similarities].sort((x, y) => y - x)).toEqual(similarities);
  });

  it('keeps only the last history steps when told to, and says how many it left out', async () => {
    // Prepare
    server = await startOpenAIServer({ respond: () => answer });
    const model = new LlmExperienceModel({ chat: chatModel(server), maxHistorySteps: 2 });
    const history = ['a', 'b', 'c', 'd'].map((x) => ({ state: `page: search`, action: `search[${x}]` }));

    // Act
    await model.step({ task: { id: 't', instruction: 'buy a shirt' }, history, state: 'page: search', action: 'search[e]' });

    // Assess
    const user = server.requests[0].messages[1].content;
    expect(user).toContain('(2 earlier steps omitted)');
    expect(user).not.toContain('search[b]');
    expect(user).toContain('Step 3\nState:\npage: search\nAction: search[c]');
    expect(user).toContain('Step 4\nState:\npage: search\nAction: search[d]');
    expect(user).toContain('# Similar transitions\n(none retrieved)');
  });

  it('asks for the step schema as structured output, reasoning first', async () => {
    // Prepare
    server = await startOpenAIServer({ respond: () => answer });
    const model = new LlmExperienceModel({ chat: chatModel(server) });

    // Act
    await model.step({ task: { id: 't', instruction: 'buy a shirt' }, history: [], state: 'page: search', action: 'search[shirt]' });

    // Assess
    const format = server.requests[0].response_format!;
    expect(format.type).toBe('json_schema');
    const schema = format.json_schema!.schema as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(Object.keys(ExperienceStepSchema.shape));
    expect(Object.keys(schema.properties)[0]).toBe('reasoning');
    expect(schema.required).toEqual(['reasoning', 'nextState', 'reward', 'done', 'valid']);
  });
});
