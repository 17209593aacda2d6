import { describe, expect, it } from 'vitest';
import { rankTasksByClusterValue, rankTasksByValue } from '../../../core/dreamgym/curriculum/task-value.ts';

describe('task value', () => {
  it('is the reward variance of the task group, largest when successes and failures split evenly', () => {
    // Act
    const ranked = rankTasksByValue([
      { taskId: 'always', rewards: [1, 1, 1, 1] },
      { taskId: 'never', rewards: [0, 0, 0, 0] },
      { taskId: 'split', rewards: [1, 0, 1, 0] },
      { taskId: 'rarely', rewards: [1, 0, 0, 0] },
    ]);
    // Assess
    expect(ranked.map((t) => [t.taskId, t.value])).toEqual([['split', 0.25], ['rarely', 0.1875], ['always', 0], ['never', 0]]);
    expect(ranked[1].meanReward).toBe(0.25);
  });

  it('for PPO pools the rollouts of a cluster, so every task takes its cluster value', () => {
    // Prepare: a and b are one cluster (rewards 1,1 and 0,0 pool to variance 0.25); c is alone and constant
    const clusterOf = new Map([['a', 0], ['b', 0], ['c', 1]]);
    // Act
    const ranked = rankTasksByClusterValue([
      { taskId: 'a', rewards: [1, 1] },
      { taskId: 'b', rewards: [0, 0] },
      { taskId: 'c', rewards: [1, 0.5] },
    ], clusterOf);
    // Assess
    expect(ranked.map((t) => [t.taskId, t.value])).toEqual([['a', 0.25], ['b', 0.25], ['c', 0.0625]]);
  });
});
