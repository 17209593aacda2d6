import { z } from 'zod';

/**
 * The built-in policy's parameters: one weight per named feature, plain JSON so they pass between workflow steps
 * through the store. Missing weights are 0, so the first version (no weights) is uniform over admissible actions.
 */
export const BuiltinPolicyParamsSchema = z.object({
  kind: z.literal('builtin'),
  /** The environment kind's feature set the weights belong to (`shop-text-v5`, `text-v1`, …). */
  featureSet: z.string().min(1),
  /** 0 for the untrained policy, +1 per update. */
  version: z.number().int().nonnegative(),
  weights: z.record(z.string(), z.number()),
  /**
   * The optimizer's state after the update that made these weights, when it keeps one (Adam's first and second moment
   * estimates per weight and its step count, as a PyTorch optimizer's state carries over between verl's updates);
   * absent for plain gradient ascent and for version 0.
   */
  optimizer: z.object({
    kind: z.literal('adam'),
    steps: z.number().int().nonnegative(),
    m: z.record(z.string(), z.number()),
    v: z.record(z.string(), z.number().nonnegative()),
  }).optional(),
});
export type BuiltinPolicyParams = z.infer<typeof BuiltinPolicyParamsSchema>;

/** Version 0 for a feature set: no weights, a uniform choice among the admissible actions. */
export function initialBuiltinParams(featureSet: string): BuiltinPolicyParams {
  return { kind: 'builtin', featureSet, version: 0, weights: {} };
}

/** Weights (or any named numbers) at six significant digits: the stored JSON stays short without changing behaviour measurably. */
export function roundWeights(weights: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of Object.keys(weights).sort()) out[name] = Number(weights[name].toPrecision(6));
  return out;
}
