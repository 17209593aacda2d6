import { InvalidInputError } from '../errors.ts';
import type { ScriptedPolicy } from './policy.ts';
import { uniformAction } from './uniform-policy.ts';

export interface NoisyPolicyOptions {
  /** Probability of a uniform action instead of the expert's at each step; 0.3 by default. */
  readonly epsilon?: number;
  /** As in the uniform policy: share of the uniform steps that are invalid; 0.05 by default. */
  readonly invalidRate?: number;
}

/**
 * ε-mix of an expert and the uniform policy: diverse but mostly sensible behaviour for offline data.
 *
 * @example
 * const noisy = createNoisyPolicy(createShopExpert(shop.catalog), { epsilon: 0.3 });
 */
export function createNoisyPolicy(expert: ScriptedPolicy, options: NoisyPolicyOptions = {}): ScriptedPolicy {
  const epsilon = options.epsilon ?? 0.3;
  const invalidRate = options.invalidRate ?? 0.05;
  if (!(invalidRate >= 0 && invalidRate <= 1)) {
    throw new InvalidInputError(`invalidRate must be in [0, 1], got ${invalidRate}`);
  }
  if (!(epsilon >= 0 && epsilon <= 1)) throw new InvalidInputError(`epsilon must be in [0, 1], got ${epsilon}`);
  return {
    kind: 'noisy',
    act: (context) => (context.rng.next() < epsilon ? uniformAction(context, invalidRate) : expert.act(context)),
  };
}
