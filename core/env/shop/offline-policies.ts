import { offlinePolicies, type OfflinePolicyOptions } from '../offline-policies.ts';
import type { PolicyKind, ScriptedPolicy } from '../policy.ts';
import type { ShopEnvironment } from './shop-environment.ts';
import { shopKind } from './shop-kind.ts';

/**
 * The three offline policies for `shop`: the scripted expert, its ε-noisy mix, and uniform random (the shop kind's
 * `offlinePolicies`, all three present).
 *
 * @example
 * const policies = shopOfflinePolicies(shop, { epsilon: 0.3 });
 */
export function shopOfflinePolicies(
  shop: ShopEnvironment,
  options: OfflinePolicyOptions = {},
): Record<PolicyKind, ScriptedPolicy> {
  const { expert, noisy, random } = offlinePolicies(shopKind, shop, options);
  return { expert: expert!, noisy: noisy!, random: random! };
}
