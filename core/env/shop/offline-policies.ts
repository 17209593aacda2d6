import type { PolicyKind, ScriptedPolicy } from '../policy.ts';
import { createNoisyPolicy } from '../noisy-policy.ts';
import { createShopExpert } from './expert.ts';
import type { ShopEnvironment } from './shop-environment.ts';
import { createUniformPolicy } from '../uniform-policy.ts';

export interface ShopPolicyOptions {
  /** The noisy policy's chance of a uniform action per step; 0.3 by default. */
  readonly epsilon?: number;
  /** Share of uniform steps that are invalid actions; 0.05 by default. */
  readonly invalidRate?: number;
}

/**
 * The three offline policies for `shop`: the scripted expert, its ε-noisy mix, and uniform random.
 *
 * @example
 * const policies = shopOfflinePolicies(shop, { epsilon: 0.3 });
 */
export function shopOfflinePolicies(
  shop: ShopEnvironment,
  options: ShopPolicyOptions = {},
): Record<PolicyKind, ScriptedPolicy> {
  const expert = createShopExpert(shop.catalog);
  return {
    expert,
    noisy: createNoisyPolicy(expert, options),
    random: createUniformPolicy(options),
  };
}
