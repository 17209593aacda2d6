const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const DIGIT_BITS = 11;
const BUCKETS = 1 << DIGIT_BITS;

/**
 * Item indices ordered by score, highest first, equal scores by lower index — the same order as `TopK`.
 * An LSD radix sort (three 11-bit passes) over order-preserving 32-bit keys of the float32 scores: stable, so ties
 * keep ascending index order, and several times faster than a comparison sort on the 20k-item rows of an evaluation.
 *
 * @example
 * rankByScore(Float32Array.of(0.1, 0.9, 0.9)); // Uint32Array [1, 2, 0]
 */
export function rankByScore(scores: Float32Array): Uint32Array {
  const n = scores.length;
  let keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    f32[0] = scores[i];
    const bits = u32[0];
    // Ascending-sortable bits of the float, then inverted so that a higher score sorts first.
    keys[i] = ~(bits & 0x80000000 ? ~bits : bits | 0x80000000) >>> 0;
  }
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let keysOut = new Uint32Array(n);
  let orderOut = new Uint32Array(n);
  const counts = new Uint32Array(BUCKETS);
  for (let shift = 0; shift < 32; shift += DIGIT_BITS) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(keys[i] >>> shift) & (BUCKETS - 1)]++;
    let sum = 0;
    for (let b = 0; b < BUCKETS; b++) {
      const c = counts[b];
      counts[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const slot = counts[(keys[i] >>> shift) & (BUCKETS - 1)]++;
      keysOut[slot] = keys[i];
      orderOut[slot] = order[i];
    }
    [keys, keysOut] = [keysOut, keys];
    [order, orderOut] = [orderOut, order];
  }
  return order;
}
