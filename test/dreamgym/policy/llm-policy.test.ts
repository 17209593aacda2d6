import { afterEach, describe, expect, it } from 'vitest';
import { INVALID_ACTION_TEXT } from '../../../core/env/environment.ts';
import { createShopEnvironment } from '../../../core/env/shop/shop-environment.ts';
import { SHOP_RULES } from '../../../core/env/shop/rules.ts';
import { createLlmPolicy } from '../../../core/dreamgym/policy/llm-policy.ts';
import { realSessions } from '../../../core/dreamgym/rollout/real-session.ts';
import { createRollout } from '../../../core/dreamgym/rollout/rollout.ts';
import { OpenAIChatModel } from '../../../core/llm/openai-chat-model.ts';
import { startOpenAIServer } from '../../fixtures/openai-server.ts';
import type { ChatRequestBody, OpenAIServer } from '../../fixtures/openai-server.ts';

const shop = createShopEnvironment({ seed: 2 });
let server: OpenAIServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Answers with the first available action, or with `malformed` from the given turn on. */
function firstAction(options: { malformedFrom?: number } = {}) {
  return (request: ChatRequestBody) => {
    const turn = request.messages.filter((m) => m.role === 'assistant').length;
    if (options.malformedFrom !== undefined && turn >= options.malformedFrom) return 'I would buy the red one, I think.';
    const listing = request.messages.at(-1)!.content.split('Available actions:\n')[1] ?? '';
    return `Thought: taking the first option.\nAction: ${listing.split('\n')[0]}`;
  };
}

async function policyOn(respond: (request: ChatRequestBody) => string) {
  server = await startOpenAIServer({ respond });
  const chat = new OpenAIChatModel({
    role: 'policy', baseUrl: server.url, apiKey: 'x', model: 'agent-v0', concurrency: 4, timeoutMs: 5000, maxRetries: 1, repairRetries: 0,
  });
  return createLlmPolicy(chat, { rules: SHOP_RULES, temperature: 1 });
}

describe('LLM policy', () => {
  it('sends the trajectory messages as the conversation, static system prompt first', async () => {
    // Prepare
    const policy = await policyOn(firstAction());
    const rollout = createRollout(realSessions(shop), { id: 'llm-1', seed: 1 });
    // Act
    const trajectory = await rollout(policy, shop.task(1));
    const second = await createRollout(realSessions(shop), { id: 'llm-2', seed: 2 })(policy, shop.task(2));
    // Assess
    const requests = server!.requests;
    expect(requests.length).toBe(trajectory.metrics.steps + second.metrics.steps);
    expect(new Set(requests.map((r) => JSON.stringify(r.messages[0]))).size).toBe(1);
    expect(requests[0].messages[0].role).toBe('system');
    expect(requests[0].messages[1].content).toContain(`Instruction: ${shop.task(1).instruction}`);
    const last = requests[trajectory.metrics.steps - 1].messages;
    expect(last).toEqual(trajectory.messages.slice(0, last.length).map(({ role, content }) => ({ role, content })));
    expect(trajectory.messages.at(-1)).toMatchObject({ type: 'trainable', role: 'assistant' });
    expect(trajectory.metadata.policyVersion).toBe('agent-v0');
  });

  it('turns an answer without an action into an invalid action that fails the episode', async () => {
    // Prepare
    const policy = await policyOn(firstAction({ malformedFrom: 1 }));
    const counter = { steps: 0 };
    // Act
    const trajectory = await createRollout(realSessions(shop, counter), { id: 'llm-3', seed: 3 })(policy, shop.task(3));
    // Assess
    const turns = trajectory.messages.filter((m) => m.type === 'trainable');
    expect(turns).toHaveLength(2);
    expect(turns[1]).toMatchObject({ action: null, valid: false, done: true, reward: 0, nextState: INVALID_ACTION_TEXT });
    expect(trajectory.reward).toBe(0);
    expect(trajectory.metrics).toMatchObject({ steps: 2, invalidActions: 1, unparseableActions: 1, success: false });
    expect(counter.steps).toBe(1);
  });

  it('lets endpoint failures propagate so the group can keep them as failed rollouts', async () => {
    // Prepare
    const policy = await policyOn(firstAction());
    server!.injectFaults('bad-request');
    // Act
    const attempt = createRollout(realSessions(shop), { id: 'llm-4', seed: 4 })(policy, shop.task(4));
    // Assess
    await expect(attempt).rejects.toThrow(/policy model .* failed/);
  });
});
