/**
 * GRPO's group-relative advantage: A_i = (r_i − mean(r)) / (std(r) + ε), with the population standard deviation of
 * the group's outcome rewards. A group whose rewards are all equal has zero advantages: it teaches nothing.
 *
 * @example
 * grpoAdvantages([1, 0, 0, 1]); // [1, -1, -1, 1] (to within ε)
 */
export function grpoAdvantages(rewards: readonly number[], epsilon = 1e-6): number[] {
  if (rewards.length === 0) return [];
  const mean = rewards.reduce((a, b) => a + b, 0) / rewards.length;
  const std = Math.sqrt(rewardVariance(rewards));
  return rewards.map((r) => (r - mean) / (std + epsilon));
}

/**
 * (1/n) Σ (r_i − r̄)²: the reward variance of a group, which is also DreamGym's task value V_τ (largest when
 * successes and failures are evenly split).
 */
export function rewardVariance(rewards: readonly number[]): number {
  if (rewards.length === 0) return 0;
  const mean = rewards.reduce((a, b) => a + b, 0) / rewards.length;
  return rewards.reduce((sum, r) => sum + (r - mean) ** 2, 0) / rewards.length;
}
