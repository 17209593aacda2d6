import type { Rng } from '../../random.ts';
import { InvalidInputError } from '../../errors.ts';
import type { PolicyFeatures } from '../../env/environment-kind.ts';
import type { BuiltinPolicyParams } from './params.ts';
import type { Policy } from './policy.ts';
import { observationMessage, policySystemMessage } from './prompt.ts';
import { softmax } from './softmax.ts';

export interface BuiltinPolicyOptions {
  /** The environment kind's features; they must be the set `params` were trained with. */
  readonly features: PolicyFeatures;
  /** 'sample' draws from π (training rollouts); 'greedy' takes the most likely action, ties broken at random. */
  readonly mode?: 'sample' | 'greedy';
  readonly rules: string;
}

/**
 * The built-in policy: a softmax over the admissible actions of linear scores θ·φ(instruction, state, action),
 * trained in-process by `grpoUpdate`. It frames episodes with the same messages as the LLM policy and answers
 * "Action: …", so its trajectories read like an LLM's.
 *
 * @example
 * const kind = environmentKind('shop');
 * const policy = createBuiltinPolicy(initialBuiltinParams(kind.policyFeatures.featureSet), { features: kind.policyFeatures, rules: kind.rules });
 * const trajectory = await rollout(policy, task);
 */
export function createBuiltinPolicy(params: BuiltinPolicyParams, options: BuiltinPolicyOptions): Policy {
  const mode = options.mode ?? 'sample';
  const { features } = options;
  if (params.featureSet !== features.featureSet) {
    throw new InvalidInputError(`built-in policy weights are for feature set "${params.featureSet}", this environment's is "${features.featureSet}"`);
  }
  const system = policySystemMessage(options.rules);
  return {
    kind: 'builtin',
    version: `builtin-v${params.version}`,
    begin: () => [system],
    observe: observationMessage,
    async act({ task, state, admissibleActions, messages, rng }) {
      // With nothing to choose from (a state no one can read the actions of) the answer names no action, which the
      // rollout records as the invalid action, rather than failing the whole rollout.
      if (!admissibleActions || admissibleActions.length === 0) return { reply: 'Action: none', action: undefined };
      const earlier = messages.flatMap((m) => (m.type === 'trainable' ? [m.action] : []));
      const rows = features.actionFeatures(task.instruction, state, admissibleActions, earlier);
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
