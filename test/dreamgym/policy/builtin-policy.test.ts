import { describe, expect, it } from 'vitest';
import { createShopEnvironment } from '../../../core/env/shop/shop-environment.ts';
import { createBuiltinPolicy } from '../../../core/dreamgym/policy/builtin-policy.ts';
import { actionFeatures } from '../../../core/env/shop/features/shop-features.ts';
import { instructionFacts } from '../../../core/env/shop/features/instruction-facts.ts';
import { BuiltinPolicyParamsSchema, initialBuiltinParams } from '../../../core/dreamgym/policy/params.ts';
import { createRng } from '../../../core/random.ts';
import { SHOP_FEATURE_SET, SHOP_POLICY } from '../../helpers/shop-policy.ts';

const shop = createShopEnvironment({ seed: 3 });
const task = shop.task(5);

async function decide(weights: Record<string, number>, state: string, actions: string[], mode: 'sample' | 'greedy', seed: number) {
  const policy = createBuiltinPolicy({ ...initialBuiltinParams(SHOP_FEATURE_SET), weights }, { ...SHOP_POLICY, mode });
  return policy.act({ task, state, admissibleActions: actions, messages: [], rng: createRng(seed) });
}

describe('built-in policy', () => {
  it('reads an instruction into subject words, option values and a budget', () => {
    const facts = instructionFacts('find me cotton, slim fit t-shirt with color: red, and size: m, and price lower than 30.00 dollars');
    expect([...facts.subject]).toEqual(['cotton', 'slim', 'fit', 't-shirt']);
    expect([...facts.optionValues]).toEqual(['red', 'm']);
    expect(facts.budget).toBe(30);
  });

  it('chooses uniformly among admissible actions before training', async () => {
    // Prepare
    const episode = shop.openEpisode();
    const state = episode.reset(task).text;
    const actions = episode.admissibleActions();
    // Act
    const counts = new Map<string, number>();
    for (let seed = 0; seed < 600; seed++) {
      const { action } = await decide({}, state, actions, 'sample', seed);
      counts.set(action!, (counts.get(action!) ?? 0) + 1);
    }
    // Assess
    expect(counts.size).toBe(actions.length);
    for (const n of counts.values()) expect(n / 600).toBeCloseTo(1 / actions.length, 1);
  });

  it('prefers the query that covers the instruction once that feature is weighted', async () => {
    // Prepare
    const episode = shop.openEpisode();
    const state = episode.reset(task).text;
    const actions = episode.admissibleActions();
    const rows = actionFeatures(instructionFacts(task.instruction), state, actions);
    const coverages = rows.map((row) => row.find(([name]) => name === 'search:coverage')![1]);
    // Act
    const { action, logProb } = await decide({ 'search:coverage': 20 }, state, actions, 'greedy', 1);
    // Assess
    expect(action).toBe(actions[coverages.indexOf(Math.max(...coverages))]);
    expect(logProb).toBeGreaterThan(Math.log(0.9));
  });

  it('answers in the ReAct action format with the probability of its choice', async () => {
    const episode = shop.openEpisode();
    const state = episode.reset(task).text;
    const actions = episode.admissibleActions();
    const decision = await decide({}, state, actions, 'sample', 7);
    expect(decision.reply).toBe(`Action: ${decision.action}`);
    expect(decision.logProb).toBeCloseTo(Math.log(1 / actions.length));
  });

  it('names no action in a state without admissible actions, which the rollout records as invalid, rather than guessing', async () => {
    await expect(decide({}, 'free text', [], 'sample', 1)).resolves.toMatchObject({ action: undefined });
  });

  it('refuses to act with stored parameters of another feature set, naming both', () => {
    const params = BuiltinPolicyParamsSchema.parse({ ...initialBuiltinParams(SHOP_FEATURE_SET), featureSet: 'other-v9' });
    expect(() => createBuiltinPolicy(params, SHOP_POLICY)).toThrow(/feature set "other-v9".*"shop-text-v5"/);
  });
});
