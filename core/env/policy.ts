import type { Rng } from '../random.ts';
import type { Observation, Task } from './environment.ts';

/** Everything a scripted policy may look at before choosing an action. */
export interface ActionContext {
  readonly task: Task;
  readonly observation: Observation;
  /** The admissible actions and the action templates filled with queries from the instruction (`candidateActions`). */
  readonly admissibleActions: readonly string[];
  /** The environment's free-text action templates valid now (e.g. `search[<query>]`), for policies that fill their own. */
  readonly actionTemplates?: readonly string[];
  /** The episode so far, oldest first. */
  readonly history: readonly { readonly action: string; readonly observation: Observation }[];
  /** This episode's generator: the same seed, the same choices. */
  readonly rng: Rng;
}

/** The policy families offline data is generated with. */
export const PolicyKind = {
  expert: 'expert',
  noisy: 'noisy',
  random: 'random',
} as const;
export type PolicyKind = (typeof PolicyKind)[keyof typeof PolicyKind];

/**
 * A policy that picks the next action; used to generate offline data (expert demonstrations, noisy and random
 * exploration). Trainable policies of the RL loop have their own interface.
 *
 * @example
 * const firstAction: ScriptedPolicy = { kind: 'random', act: ({ admissibleActions }) => admissibleActions[0] };
 */
export interface ScriptedPolicy {
  readonly kind: PolicyKind;
  act(context: ActionContext): string | Promise<string>;
}
