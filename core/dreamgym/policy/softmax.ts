import type { Features } from '../../env/environment-kind.ts';

export interface ActionDistribution {
  readonly logits: number[];
  readonly probs: number[];
}

/** θ·φ for one action. */
export function score(weights: Readonly<Record<string, number>>, features: Features): number {
  let total = 0;
  for (const [name, value] of features) total += (weights[name] ?? 0) * value;
  return total;
}

/**
 * π(a | s) ∝ exp(θ·φ(a) / temperature) over the given actions, computed stably.
 *
 * @example
 * softmax({ bias: 1 }, [[['bias', 1]], []]).probs; // [0.731…, 0.268…]
 */
export function softmax(weights: Readonly<Record<string, number>>, rows: readonly Features[], temperature = 1): ActionDistribution {
  const logits = rows.map((row) => score(weights, row) / temperature);
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return { logits, probs: exps.map((e) => e / sum) };
}
