import type { Rng } from '../../random.ts';
import type { Task } from '../../env/environment.ts';
import type { ContextMessage, TrajectoryMessage } from '../rollout/trajectory.ts';

/** What a policy sees before each action. */
export interface PolicyInput {
  readonly task: Task;
  /** The current abstract state. */
  readonly state: string;
  /** The actions the session offers now; undefined where it cannot tell (free-text environments). */
  readonly admissibleActions: readonly string[] | undefined;
  /** The conversation so far, the observation message of this turn included: exactly what an LLM policy is sent. */
  readonly messages: readonly TrajectoryMessage[];
  /** Sampling randomness of this episode. */
  readonly rng: Rng;
}

export interface PolicyDecision {
  /** The assistant message as written (for an LLM: "Thought: … Action: …"). */
  readonly reply: string;
  /** The action parsed from the reply; undefined when there is none, which the rollout treats as an invalid action. */
  readonly action: string | undefined;
  /** log π(action | state), when the policy knows it. */
  readonly logProb?: number;
}

/**
 * A policy of the RL loop: it frames the episode as chat messages and picks actions. The built-in softmax policy
 * and the LLM policy both implement it, so rollouts, trajectories and training batches look the same for both.
 *
 * @example
 * const messages = [...policy.begin(task), policy.observe(task, state, admissible, 0)];
 * const { reply, action } = await policy.act({ task, state, admissibleActions: admissible, messages, rng });
 */
export interface Policy {
  readonly kind: 'builtin' | 'llm';
  /** Names the parameters that act: the built-in policy's version, or the LLM's model name. */
  readonly version: string;
  /** The messages that open an episode (system prompt, instruction): the static part first, for prefix caching. */
  begin(task: Task): ContextMessage[];
  /** The context message that shows a state (and its admissible actions) to the policy. */
  observe(task: Task, state: string, admissibleActions: readonly string[] | undefined, turn: number): ContextMessage;
  act(input: PolicyInput): Promise<PolicyDecision>;
}
