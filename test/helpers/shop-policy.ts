import { shopKind } from '../../core/env/shop/shop-kind.ts';

/** What the built-in policy needs to act in the shop: the shop kind's features and rules. */
export const SHOP_POLICY = { features: shopKind.policyFeatures, rules: shopKind.rules } as const;
export const SHOP_FEATURE_SET = shopKind.policyFeatures.featureSet;
