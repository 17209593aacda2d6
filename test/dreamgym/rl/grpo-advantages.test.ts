import { describe, expect, it } from 'vitest';
import { grpoAdvantages, rewardVariance } from '../../../core/dreamgym/rl/advantages.ts';

describe('GRPO advantages', () => {
  it('normalises a group to zero mean and unit standard deviation', () => {
    // Act
    const advantages = grpoAdvantages([1, 0, 0, 1, 0.5, 0.25]);
    // Assess
    const mean = advantages.reduce((a, b) => a + b, 0) / advantages.length;
    const variance = advantages.reduce((s, a) => s + (a - mean) ** 2, 0) / advantages.length;
    expect(mean).toBeCloseTo(0, 9);
    expect(variance).toBeCloseTo(1, 5);
  });

  it('follows A_i = (r_i − mean) / (std + ε) exactly', () => {
    // Prepare: mean 0.5, population std 0.5
    const rewards = [1, 0, 1, 0];
    // Act
    const advantages = grpoAdvantages(rewards, 0.1);
    // Assess
    expect(advantages).toEqual([0.5 / 0.6, -0.5 / 0.6, 0.5 / 0.6, -0.5 / 0.6]);
  });

  it('gives zero advantages to a group whose rewards are all equal', () => {
    expect(grpoAdvantages([1, 1, 1])).toEqual([0, 0, 0]);
    expect(grpoAdvantages([0, 0])).toEqual([0, 0]);
  });

  it('orders advantages as the rewards are ordered', () => {
    const advantages = grpoAdvantages([0.2, 0.9, 0.5]);
    expect(advantages[1]).toBeGreaterThan(advantages[2]);
    expect(advantages[2]).toBeGreaterThan(advantages[0]);
  });

  it('computes the reward variance that is also the task value', () => {
    expect(rewardVariance([1, 0])).toBe(0.25);
    expect(rewardVariance([1, 1, 0, 0])).toBe(0.25);
    expect(rewardVariance([1, 1, 1, 0])).toBeCloseTo(0.1875);
    expect(rewardVariance([])).toBe(0);
  });
});
