import type { Rng } from '../../random.ts';
import { actionFeatures, episodeMemory } from './features.ts';
import { instructionFacts } from './instruction-facts.ts';
import type { BuiltinPolicyParams } from './params.ts';
import type { Policy } from './policy.ts';
import { observationMessage, policySystemMessage, SHOP_RULES } from './prompt.ts';
import { softmax } from './softmax.ts';

export interface BuiltinPolicyOptions {
  /** 'sample' draws from π (training rollouts); 'greedy' takes the most likely action, ties broken at random. */
  readonly mode?: 'sample' | 'greedy';
  readonly rules?: string;
}

/**
 * The built-in policy: a softmax over the admissible actions of linear scores θ·φ(instruction, state, action),
 * trained in-process by `grpoUpdate`. It frames episodes with the same messages as the LLM policy and answers
 * "Action: …", so its trajectories read like an LLM's.
 *
 * @example
 * const policy = createBuiltinPolicy(initialBuiltinParams(), { mode: 'sample' });
 * const trajectory = await rollout(policy, task);
 */
export function createBuiltinPolicy(params: BuiltinPolicyParams, options: BuiltinPolicyOptions = {}): Policy {
  const mode = options.mode ?? 'sample';
  const system = policySystemMessage(options.rules ?? SHOP_RULES);
  return {
    kind: 'builtin',
    version: `builtin-v${params.version}`,
    begin: () => [system],
    observe: observationMessage,
    async act({ task, state, admissibleActions, messages, rng }) {
      // With nothing to choose from (a state no one can read the actions of) the answer names no action, which the
      // rollout records as the invalid action, rather than failing the whole rollout.
      if (!admissibleActions || admissibleActions.length === 0) return { reply: 'Action: none', action: undefined };
      const memory = episodeMemory(messages.flatMap((m) => (m.type === 'trainable' ? [m.action] : [])));
      const rows = actionFeatures(instructionFacts(task.instruction), state, admissibleActions, memory);
      const { probs } = softmax(params.weights, rows);
      const index = mode === 'greedy' ? argmaxWithTies(probs, rng) : sample(probs, rng);
      const action = admissibleActions[index];
      return { reply: `Action: ${action}`, action, logProb: Math.log(probs[index]) };
    },
  };
}

function sample(probs: readonly number[], rng: Rng): number {
  let u = rng.next();
  for (let i = 0; i < probs.length; i++) {
    u -= probs[i];
    if (u < 0) return i;
  }
  return probs.length - 1;
}

function argmaxWithTies(probs: readonly number[], rng: Rng): number {
  const best = Math.max(...probs);
  const tied = probs.flatMap((p, i) => (best - p <= 1e-12 ? [i] : []));
  return tied.length === 1 ? tied[0] : rng.pick(tied);
}
