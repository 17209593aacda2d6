import type { EnvironmentFactory } from './environment.ts';
import type { EnvironmentKind } from './environment-kind.ts';
import { createNoisyPolicy } from './noisy-policy.ts';
import type { PolicyKind, ScriptedPolicy } from './policy.ts';
import { createUniformPolicy } from './uniform-policy.ts';

export interface OfflinePolicyOptions {
  /** The noisy policy's chance of a uniform action per step; 0.3 by default. */
  readonly epsilon?: number;
  /** Share of uniform steps that are invalid actions; 0.05 by default. */
  readonly invalidRate?: number;
}

/**
 * The policies offline data is generated with in one environment: uniform random always, and where the kind brings
 * a scripted expert (`expert` hook) that expert and its ε-noisy mix.
 *
 * @example
 * const policies = offlinePolicies(environmentKind('shop'), openEnvironment('shop'), { epsilon: 0.3 });
 * policies.expert !== undefined; // true: the shop has a scripted expert
 */
export function offlinePolicies(
  kind: EnvironmentKind,
  real: EnvironmentFactory,
  options: OfflinePolicyOptions = {},
): Partial<Record<PolicyKind, ScriptedPolicy>> {
  const expert = kind.expert?.(real);
  const random = createUniformPolicy(options);
  return expert ? { expert, noisy: createNoisyPolicy(expert, options), random } : { random };
}
