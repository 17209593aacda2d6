/**
 * What GRPO's advantages are computed from. `success`: 1 when the episode completes the task (its final reward is
 * 1), else 0 — DreamGym's outcome reward. `environment`: the environment's own final reward, e.g. WebShop's partial
 * score, under which buying the first near match (0.75–0.83) is almost as good as success, so a policy is hardly
 * taught to reject it and look further.
 */
export const OutcomeReward = { success: 'success', environment: 'environment' } as const;
export type OutcomeReward = (typeof OutcomeReward)[keyof typeof OutcomeReward];

/**
 * The outcome reward of an episode whose final environment reward is `reward`.
 *
 * @example
 * outcomeReward(0.83, 'success');     // 0: a near match is not a success
 * outcomeReward(0.83, 'environment'); // 0.83
 */
export function outcomeReward(reward: number, kind: OutcomeReward): number {
  return kind === OutcomeReward.success ? (reward >= 1 ? 1 : 0) : reward;
}
