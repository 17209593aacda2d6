import type { Trajectory } from '../../../core/dreamgym/rollout/trajectory.ts';

export const TOY_ACTIONS = ['go[north]', 'stay[here]'];

/** A one-step trajectory of a two-action toy task: a free-text state, so the policy uses its generic features. */
export function toyTrajectory(options: { id: string; action: string; reward: number; advantage?: number; logProb?: number }): Trajectory {
  return {
    id: options.id,
    messages: [
      { type: 'context', role: 'system', content: 'rules' },
      { type: 'context', role: 'user', content: 'a quiet room' },
      {
        type: 'trainable', role: 'assistant', content: `Action: ${options.action}`, action: options.action,
        state: 'a quiet room', nextState: 'the end', reward: options.reward, valid: true, done: true,
        admissibleActions: TOY_ACTIONS, ...(options.logProb === undefined ? {} : { logProb: options.logProb }),
      },
    ],
    reward: options.reward,
    ...(options.advantage === undefined ? {} : { advantage: options.advantage }),
    metrics: { steps: 1, success: options.reward >= 1, invalidActions: 0, unparseableActions: 0, unreadableStates: 0, truncated: false },
    metadata: {
      taskId: 'toy', instruction: 'walk somewhere', task: { id: 'toy', instruction: 'walk somewhere' }, source: 'real',
      policyVersion: 'builtin-v0', rollout: 0, seed: 0,
    },
  };
}
