import { createRng } from '../../random.ts';
import type { Task } from '../../env/environment.ts';
import { INVALID_ACTION_TEXT } from '../../env/environment.ts';
import type { Policy } from '../policy/policy.ts';
import type { RolloutSession, RolloutSessionFactory, RolloutStepResult } from './rollout-session.ts';
import type { Trajectory, TrajectoryMessage } from './trajectory.ts';

/** Habit 8: a rollout plays one episode of a task with a policy and returns it as a record. */
export type Rollout = (policy: Policy, task: Task) => Promise<Trajectory>;

export interface RolloutOptions {
  /** The trajectory's id (deterministic, chosen by the caller). */
  readonly id: string;
  /** Seeds the policy's sampling for this episode. */
  readonly seed: number;
  /** Index of this rollout in its group. */
  readonly rollout?: number;
  /** A guard for sessions that never end; 100 turns by default. */
  readonly maxTurns?: number;
}

/**
 * A rollout over fresh sessions from `sessions`.
 *
 * @example
 * const rollout = createRollout(realSessions(shop), { id: 'r1/0001/0003/2', seed: 7 });
 * const trajectory = await rollout(policy, shop.task(3));
 * trajectory.reward; // outcome reward of the episode
 */
export function createRollout(sessions: RolloutSessionFactory, options: RolloutOptions): Rollout {
  return async (policy, task) => {
    const session = await sessions();
    try {
      return await runRollout(policy, task, session, options);
    } finally {
      await session.close();
    }
  };
}

/**
 * Plays one episode on an open session. A policy answer with no action is the environment's invalid action: the
 * episode ends in the failure state with reward 0, without asking the session.
 */
export async function runRollout(
  policy: Policy,
  task: Task,
  session: RolloutSession,
  options: RolloutOptions,
): Promise<Trajectory> {
  const rng = createRng(options.seed);
  const maxTurns = options.maxTurns ?? 100;
  const first = await session.reset(task);
  // The instruction is known once the environment told it: before the first policy message, never after.
  task = first.task ?? task;
  const messages: TrajectoryMessage[] = policy.begin(task);
  let { state, admissibleActions } = first;
  const metrics = { steps: 0, success: false, invalidActions: 0, unparseableActions: 0, unreadableStates: 0, truncated: false };
  let reward = 0;
  for (let turn = 0; ; turn++) {
    messages.push(policy.observe(task, state, admissibleActions, turn));
    const decision = await policy.act({ task, state, admissibleActions, messages, rng });
    const result: RolloutStepResult = decision.action === undefined
      ? { state: INVALID_ACTION_TEXT, admissibleActions: [], reward: 0, done: true, valid: false, truncated: false, unreadable: false }
      : await session.step(decision.action);
    messages.push({
      type: 'trainable', role: 'assistant', content: decision.reply, action: decision.action ?? null,
      state, nextState: result.state, reward: result.reward, valid: result.valid, done: result.done,
      ...(admissibleActions === undefined ? {} : { admissibleActions: [...admissibleActions] }),
      ...(decision.logProb === undefined ? {} : { logProb: decision.logProb }),
    });
    metrics.steps++;
    if (decision.action === undefined) metrics.unparseableActions++;
    if (!result.valid) metrics.invalidActions++;
    if (result.unreadable) metrics.unreadableStates++;
    reward = result.reward;
    ({ state, admissibleActions } = result);
    const guard = !result.done && turn + 1 >= maxTurns;
    if (result.done || guard) {
      metrics.truncated = result.truncated || guard;
      break;
    }
  }
  metrics.success = reward >= 1;
  return {
    id: options.id,
    messages,
    reward,
    metrics,
    metadata: {
      taskId: task.id, instruction: task.instruction, task, source: session.source, policyVersion: policy.version,
      rollout: options.rollout ?? 0, seed: options.seed,
    },
  };
}
