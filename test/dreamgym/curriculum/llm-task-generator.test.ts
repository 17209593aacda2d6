import { afterEach, describe, expect, it } from 'vitest';
import { clusterTasks } from '../../../core/dreamgym/curriculum/cluster-tasks.ts';
import { createLlmTaskGenerator } from '../../../core/dreamgym/curriculum/llm-task-generator.ts';
import { hashedWordEmbedder } from '../../../core/dreamgym/curriculum/word-embedder.ts';
import { ShopGoalSchema } from '../../../core/env/shop/goal.ts';
import { createShopEnvironment } from '../../../core/env/shop/shop-environment.ts';
import { buildShopTask } from '../../../core/env/shop/tasks.ts';
import { SHOP_RULES } from '../../../core/env/shop/rules.ts';
import { OpenAIChatModel } from '../../../core/llm/openai-chat-model.ts';
import { createRng } from '../../../core/random.ts';
import { startOpenAIServer } from '../../fixtures/openai-server.ts';
import type { OpenAIServer } from '../../fixtures/openai-server.ts';

const shop = createShopEnvironment({ seed: 5 });
const seed = shop.task(0);
const seedGoal = ShopGoalSchema.parse(seed.goal);
let server: OpenAIServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('LLM task generator', () => {
  it('keeps only proposals the environment accepts, then lets the model pick', async () => {
    // Prepare
    server = await startOpenAIServer({
      respond: (request) => request.response_format?.json_schema?.name === 'task_variations'
        ? JSON.stringify({ variations: [
          { instruction: 'a looser budget', goal: { ...seedGoal, priceUpper: seedGoal.priceUpper + 10 } },
          { instruction: 'impossibly cheap', goal: { ...seedGoal, priceUpper: 1 } },
          { instruction: 'not a product', goal: { ...seedGoal, productType: 'spaceship' } },
        ] })
        : JSON.stringify({ picks: [{ index: 0, reason: 'feasible' }, { index: 7, reason: 'out of range' }] }),
    });
    const chat = new OpenAIChatModel({ role: 'experience', baseUrl: server.url, apiKey: 'x', model: 'gen', concurrency: 2, timeoutMs: 5000, maxRetries: 0, repairRetries: 0 });
    const generator = createLlmTaskGenerator(chat, {
      rules: SHOP_RULES,
      check: (proposal) => {
        try {
          return buildShopTask(shop.catalog, proposal.goal);
        } catch {
          return undefined;
        }
      },
    });
    // Act
    const proposals = await generator.propose(seed, 3, createRng(1));
    const picked = await generator.select(seed, proposals, 2);
    // Assess
    expect(proposals).toHaveLength(1);
    expect(ShopGoalSchema.parse(proposals[0].goal).priceUpper).toBe(seedGoal.priceUpper + 10);
    expect(picked.map((p) => p.task)).toEqual(proposals);
    const prompt = server.requests[0].messages.map((m) => m.content).join('\n');
    expect(prompt).toContain(seed.instruction);
    expect(prompt).toContain('search[keywords]');
  });
  it('drops an answer that keeps failing its schema after the repair retries, counting it, and still fails on an outage', async () => {
    // Prepare: proposals never match the schema; one repair retry each
    server = await startOpenAIServer({ respond: () => JSON.stringify({ variations: 'not a list' }) });
    const chat = new OpenAIChatModel({ role: 'experience', baseUrl: server.url, apiKey: 'x', model: 'gen', concurrency: 2, timeoutMs: 5000, maxRetries: 0, repairRetries: 1 });
    const generator = createLlmTaskGenerator(chat, { rules: SHOP_RULES });
    // Act
    const proposals = await generator.propose(seed, 3, createRng(1));
    // Assess: two requests (answer and repair), nothing proposed, one dropped answer
    expect(proposals).toEqual([]);
    expect(server.requests).toHaveLength(2);
    expect(generator.schemaFailures).toBe(1);
    await server.close();
    server = undefined;
    await expect(generator.propose(seed, 3, createRng(1))).rejects.not.toThrow(/schema/);
  });
});

describe('task clusters for PPO', () => {
  it('puts instructions about the same product together', async () => {
    // Prepare
    const shirts = ['find me cotton t-shirt with color: red', 'i need slim fit t-shirt with size: m', 'show me v-neck t-shirt']
      .map((instruction, i) => ({ id: `s${i}`, instruction }));
    const coffee = ['find me programmable coffee maker', 'i need 12 cup coffee maker', 'show me single serve coffee maker']
      .map((instruction, i) => ({ id: `c${i}`, instruction }));
    // Act
    const clusterOf = await clusterTasks([...shirts, ...coffee], hashedWordEmbedder(), 2, createRng(4));
    // Assess
    expect(new Set(shirts.map((t) => clusterOf.get(t.id))).size).toBe(1);
    expect(new Set(coffee.map((t) => clusterOf.get(t.id))).size).toBe(1);
    expect(clusterOf.get('s0')).not.toBe(clusterOf.get('c0'));
  });
});
