import { InvalidInputError } from '../../errors.ts';
import { createRng } from '../../random.ts';

/** The paper's curve points: 0%, 10%, …, 100% of the gallery backfilled. */
export const DEFAULT_FRACTIONS: readonly number[] = Array.from({ length: 11 }, (_, i) => i / 10);

/**
 * A seeded random order in which gallery items get backfilled (the paper's random backfill order).
 *
 * @example
 * const order = backfillOrder(19600, 7);
 * const done = backfilledMask(order, 0.3); // done[i] === 1 for the first 5880 items of the order
 */
export function backfillOrder(size: number, seed: number): Uint32Array {
  const order = Uint32Array.from({ length: size }, (_, i) => i);
  const rng = createRng(seed);
  for (let i = size - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i]; order[i] = order[j]; order[j] = t;
  }
  return order;
}

/** How many items are backfilled at `fraction`: round(fraction · size). Nested: a larger fraction includes a smaller one. */
export function backfilledCount(size: number, fraction: number): number {
  if (!(fraction >= 0 && fraction <= 1)) throw new InvalidInputError(`backfill fraction must be in [0, 1], got ${fraction}`);
  return Math.round(fraction * size);
}

/** `mask[i] === 1` when item i is among the first `backfilledCount` items of `order`. */
export function backfilledMask(order: Uint32Array, fraction: number): Uint8Array {
  const mask = new Uint8Array(order.length);
  const count = backfilledCount(order.length, fraction);
  for (let r = 0; r < count; r++) mask[order[r]] = 1;
  return mask;
}
