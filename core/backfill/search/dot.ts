/**
 * Dot product of `a[aOffset..+dim]` and `b[bOffset..+dim]`, unrolled by four and rounded to float32. Every score in
 * search and evaluation goes through this one function so that the two agree bit for bit; float32 rounding also lets
 * the evaluation radix-sort scores by their 32 bits.
 */
export function dot(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, dim: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let j = 0;
  for (; j + 3 < dim; j += 4) {
    s0 += a[aOffset + j] * b[bOffset + j];
    s1 += a[aOffset + j + 1] * b[bOffset + j + 1];
    s2 += a[aOffset + j + 2] * b[bOffset + j + 2];
    s3 += a[aOffset + j + 3] * b[bOffset + j + 3];
  }
  for (; j < dim; j++) s0 += a[aOffset + j] * b[bOffset + j];
  return Math.fround(s0 + s1 + s2 + s3);
}

/** `out[r] = query row q · gallery row r` for every gallery row. */
export function scoreAll(queries: Float32Array, q: number, gallery: Float32Array, dim: number, out: Float32Array): Float32Array {
  const qOffset = q * dim;
  for (let r = 0; r < out.length; r++) out[r] = dot(queries, qOffset, gallery, r * dim, dim);
  return out;
}
