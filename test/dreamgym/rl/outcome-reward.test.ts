import { describe, expect, it } from 'vitest';
import { createShopEnvironment } from '../../../core/env/shop/shop-environment.ts';
import { createBuiltinPolicy } from '../../../core/dreamgym/policy/builtin-policy.ts';
import { initialBuiltinParams } from '../../../core/dreamgym/policy/params.ts';
import { outcomeReward } from '../../../core/dreamgym/rl/outcome.ts';
import { runGroup } from '../../../core/dreamgym/rollout/group.ts';
import { realSessions } from '../../../core/dreamgym/rollout/real-session.ts';
import { createRollout } from '../../../core/dreamgym/rollout/rollout.ts';
import type { Rollout } from '../../../core/dreamgym/rollout/rollout.ts';
import { SHOP_FEATURE_SET, SHOP_POLICY } from '../../helpers/shop-policy.ts';

const shop = createShopEnvironment({ seed: 6 });
const policy = createBuiltinPolicy(initialBuiltinParams(SHOP_FEATURE_SET), SHOP_POLICY);

/** Real rollouts whose final rewards are replaced by `rewards` (a success, near misses and a failure). */
function rolloutsEnding(rewards: number[]) {
  return (index: number): Rollout => async (p, t) => {
    const trajectory = await createRollout(realSessions(shop), { id: `g/${index}`, seed: index, rollout: index })(p, t);
    return { ...trajectory, reward: rewards[index] };
  };
}

describe('outcome reward of GRPO', () => {
  it('counts only a completed task as a success', () => {
    expect([1, 0.83, 0.5, 0].map((r) => outcomeReward(r, 'success'))).toEqual([1, 0, 0, 0]);
    expect([1, 0.83, 0.5, 0].map((r) => outcomeReward(r, 'environment'))).toEqual([1, 0.83, 0.5, 0]);
  });

  it('gives a near miss the advantage of a failure under task success, and keeps its environment reward', async () => {
    // Prepare
    const rewards = [1, 0.83, 0.5, 0];
    // Act
    const success = await runGroup({ policy, task: shop.task(2), n: 4, rollout: rolloutsEnding(rewards), outcome: 'success' });
    const partial = await runGroup({ policy, task: shop.task(2), n: 4, rollout: rolloutsEnding(rewards) });
    // Assess
    const [won, ...lost] = success.trajectories.map((t) => t.advantage!);
    expect(won).toBeGreaterThan(0);
    for (const a of lost) expect(a).toBeCloseTo(lost[0], 12);
    expect(success.trajectories.map((t) => t.reward)).toEqual(rewards);
    expect(partial.trajectories[1].advantage!).toBeGreaterThan(partial.trajectories[3].advantage!);
  });
});
