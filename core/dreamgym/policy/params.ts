import { z } from 'zod';
import { FEATURE_SET } from './features.ts';

/**
 * The built-in policy's parameters: one weight per named feature, plain JSON so they pass between workflow steps
 * through the store. Missing weights are 0, so the first version (no weights) is uniform over admissible actions.
 */
export const BuiltinPolicyParamsSchema = z.object({
  kind: z.literal('builtin'),
  featureSet: z.literal(FEATURE_SET),
  /** 0 for the untrained policy, +1 per update. */
  version: z.number().int().nonnegative(),
  weights: z.record(z.string(), z.number()),
});
export type BuiltinPolicyParams = z.infer<typeof BuiltinPolicyParamsSchema>;

/** Version 0: no weights, a uniform choice among the admissible actions. */
export function initialBuiltinParams(): BuiltinPolicyParams {
  return { kind: 'builtin', featureSet: FEATURE_SET, version: 0, weights: {} };
}
