import type { GroupScorer } from './group-scorer.ts';

/**
 * A row-major matrix scored four rows per pass, so each query value is loaded once for four rows while every row
 * keeps its own accumulator summed in increasing dimension order (the reference order).
 */
export function createDenseScorer(vectors: readonly Float32Array[], dimension: number): GroupScorer {
  const size = vectors.length;
  const matrix = new Float32Array(size * dimension);
  vectors.forEach((vector, row) => matrix.set(vector.subarray(0, dimension), row * dimension));
  return {
    kind: 'dense',
    size,
    scoreAll(query, out) {
      let row = 0;
      for (; row + 4 <= size; row += 4) {
        const a = row * dimension, b = a + dimension, c = b + dimension, e = c + dimension;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let d = 0; d < dimension; d++) {
          const q = query[d];
          s0 += q * matrix[a + d];
          s1 += q * matrix[b + d];
          s2 += q * matrix[c + d];
          s3 += q * matrix[e + d];
        }
        out[row] = s0; out[row + 1] = s1; out[row + 2] = s2; out[row + 3] = s3;
      }
      for (; row < size; row++) {
        const offset = row * dimension;
        let sum = 0;
        for (let d = 0; d < dimension; d++) sum += query[d] * matrix[offset + d];
        out[row] = sum;
      }
    },
  };
}
