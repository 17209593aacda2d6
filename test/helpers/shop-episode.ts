import type { Trajectory, TrajectoryMessage } from '../../core/dreamgym/rollout/trajectory.ts';

/** One turn of a hand-written episode: the state, the actions it offered, the one taken. */
export type EpisodeStep = readonly [state: string, actions: readonly string[], action: string];

/**
 * A hand-written episode of a task, sampled from a uniform policy (each turn's logProb is log 1/|actions|), with its
 * outcome reward and GRPO advantage: the GRPO tests' small groups are made of these.
 */
export function handEpisode(id: string, task: { id: string; instruction: string }, steps: readonly EpisodeStep[], reward: number, advantage: number): Trajectory {
  const messages: TrajectoryMessage[] = steps.map(([state, actions, action], i) => ({
    type: 'trainable', role: 'assistant', content: `Action: ${action}`, action, state, nextState: '', reward: 0, valid: true,
    done: i === steps.length - 1, admissibleActions: [...actions], logProb: Math.log(1 / actions.length),
  }));
  return {
    id, messages, reward, advantage,
    metrics: { steps: steps.length, success: reward >= 1, invalidActions: 0, unparseableActions: 0, unreadableStates: 0, truncated: false },
    metadata: { taskId: task.id, instruction: task.instruction, task, source: 'real', policyVersion: 'builtin-v0', rollout: 0, seed: 0 },
  };
}
