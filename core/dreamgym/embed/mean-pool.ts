/**
 * Sentence vectors from token vectors: the mean over the tokens the attention mask keeps, scaled to unit length.
 * `hidden` is `[batch, sequence, width]` row-major, `mask` is `[batch, sequence]`.
 *
 * @example
 * meanPool(Float32Array.of(1, 0, 3, 0), [1, 0], 1, 2, 2); // [Float32Array [1, 0]]
 */
export function meanPool(hidden: Float32Array, mask: ArrayLike<number | bigint>, batch: number, sequence: number, width: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const sum = new Float64Array(width);
    let kept = 0;
    for (let s = 0; s < sequence; s++) {
      if (Number(mask[b * sequence + s]) === 0) continue;
      kept++;
      const offset = (b * sequence + s) * width;
      for (let w = 0; w < width; w++) sum[w] += hidden[offset + w];
    }
    const vector = new Float32Array(width);
    for (let w = 0; w < width; w++) vector[w] = kept === 0 ? 0 : sum[w] / kept;
    out.push(normalize(vector));
  }
  return out;
}

/** Scales a vector to unit length in place (an all-zero vector stays zero) and returns it. */
export function normalize(vector: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i] * vector[i];
  if (norm === 0) return vector;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) vector[i] *= scale;
  return vector;
}
