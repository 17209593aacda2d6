import { rewardVariance } from '../rl/advantages.ts';

/** The outcome rewards of one task's rollouts in an iteration. */
export interface TaskOutcome {
  readonly taskId: string;
  readonly rewards: readonly number[];
}

export interface ValuedTask {
  readonly taskId: string;
  /** V_τ = (1/n) Σ (r_i − r̄)²: highest when the policy succeeds about half the time. */
  readonly value: number;
  readonly meanReward: number;
}

/**
 * DreamGym's task value for GRPO: the reward variance of each task's group, highest first (ties by task id, so the
 * order is reproducible).
 *
 * @example
 * rankTasksByValue([{ taskId: 'a', rewards: [1, 0] }, { taskId: 'b', rewards: [1, 1] }]); // a (0.25) before b (0)
 */
export function rankTasksByValue(outcomes: readonly TaskOutcome[]): ValuedTask[] {
  return outcomes
    .map(({ taskId, rewards }) => ({
      taskId,
      value: rewardVariance(rewards),
      meanReward: rewards.length === 0 ? 0 : rewards.reduce((a, b) => a + b, 0) / rewards.length,
    }))
    .sort((a, b) => b.value - a.value || (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0));
}

/**
 * The PPO form: tasks are grouped by cluster, the value of a cluster is the reward variance over all its tasks'
 * rollouts, and every task takes its cluster's value.
 */
export function rankTasksByClusterValue(
  outcomes: readonly TaskOutcome[],
  clusterOf: ReadonlyMap<string, number>,
): ValuedTask[] {
  const pooled = new Map<number, number[]>();
  for (const { taskId, rewards } of outcomes) {
    const cluster = clusterOf.get(taskId) ?? -1;
    pooled.set(cluster, [...(pooled.get(cluster) ?? []), ...rewards]);
  }
  const clusterValue = new Map([...pooled].map(([cluster, rewards]) => [cluster, rewardVariance(rewards)]));
  return rankTasksByValue(outcomes).map((task) => ({ ...task, value: clusterValue.get(clusterOf.get(task.taskId) ?? -1) ?? 0 }))
    .sort((a, b) => b.value - a.value || (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0));
}
