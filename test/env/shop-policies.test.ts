import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../core/errors.ts';
import { createNoisyPolicy } from '../../core/env/noisy-policy.ts';
import { createShopExpert } from '../../core/env/shop/expert.ts';
import { createShopEnvironment } from '../../core/env/shop/shop-environment.ts';
import { createUniformPolicy } from '../../core/env/uniform-policy.ts';
import { runEpisode } from '../../core/dreamgym/offline/run-episode.ts';
import { createRng } from '../../core/random.ts';
import type { ScriptedPolicy } from '../../core/env/policy.ts';

const shop = createShopEnvironment({ seed: 13 });
const tasks = await shop.tasks({ offset: 5000, count: 300 });

async function successRate(policy: ScriptedPolicy): Promise<{ success: number; invalid: number }> {
  const session = await shop.open();
  let success = 0, invalid = 0;
  for (const [i, task] of tasks.entries()) {
    const outcome = await runEpisode(session, task, policy, createRng(i));
    if (outcome.success) success++;
    if (outcome.steps.some((s) => !s.valid)) invalid++;
  }
  return { success: success / tasks.length, invalid: invalid / tasks.length };
}

describe('scripted shop policies', () => {
  it('the expert succeeds on at least 95% of held-out tasks and never acts invalidly', async () => {
    const { success, invalid } = await successRate(createShopExpert(shop.catalog));
    expect(success).toBeGreaterThanOrEqual(0.95);
    expect(invalid).toBe(0);
  });

  it('the noisy policy succeeds less often than the expert but far more than random', async () => {
    const noisy = await successRate(createNoisyPolicy(createShopExpert(shop.catalog), { epsilon: 0.3 }));
    const random = await successRate(createUniformPolicy());
    expect(noisy.success).toBeLessThan(0.95);
    expect(noisy.success).toBeGreaterThan(0.5);
    expect(random.success).toBeLessThan(0.15);
    expect(random.invalid).toBeGreaterThan(0);
  });

  it('the uniform policy with no invalid rate only sends admissible actions', async () => {
    const { invalid } = await successRate(createUniformPolicy({ invalidRate: 0 }));
    expect(invalid).toBe(0);
  });

  it('the expert recovers from a noisy detour onto a wrong item', async () => {
    // Prepare: open a product of another type first
    const task = tasks[0];
    const session = await shop.open();
    await session.reset(task);
    const wrongType = task.goal.productType === 'jeans' ? 'backpack' : 'jeans';
    const results = await session.step(`search[${wrongType}]`);
    const id = (await session.admissibleActions())[0];
    const item = await session.step(id);
    // Act: hand over to the expert
    const expert = createShopExpert(shop.catalog);
    const history = [
      { action: `search[${wrongType}]`, observation: results.observation },
      { action: id, observation: item.observation },
    ];
    let observation = item.observation;
    let final = 0;
    for (let s = 0; s < 12; s++) {
      const admissibleActions = await session.admissibleActions();
      const action = await expert.act({ task, observation, admissibleActions, history, rng: createRng(1) });
      const result = await session.step(action);
      history.push({ action, observation: result.observation });
      observation = result.observation;
      final = result.reward;
      if (result.done) break;
    }
    // Assess
    expect(final).toBe(1);
  });

  it('refuse probabilities outside [0, 1]', () => {
    expect(() => createNoisyPolicy(createShopExpert(shop.catalog), { epsilon: 1.5 })).toThrow(InvalidInputError);
    expect(() => createUniformPolicy({ invalidRate: -0.1 })).toThrow(/invalidRate/);
  });
});
