import type { GroupScorer } from './group-scorer.ts';

/**
 * Inverted lists, one per dimension, holding (vector, weight) pairs. A query visits only the lists of its own
 * non-zero dimensions, in increasing order, so each vector's sum runs in the same order as the dense reference and
 * skips only terms that are exactly zero: the scores are bit-identical.
 */
export function createSparseScorer(vectors: readonly Float32Array[], dimension: number, nonZero: number): GroupScorer {
  const start = new Int32Array(dimension + 1);
  for (const vector of vectors) for (let d = 0; d < dimension; d++) if (vector[d] !== 0) start[d + 1]++;
  for (let d = 0; d < dimension; d++) start[d + 1] += start[d];
  const rows = new Int32Array(nonZero);
  const weights = new Float32Array(nonZero);
  const fill = start.slice(0, dimension);
  vectors.forEach((vector, row) => {
    for (let d = 0; d < dimension; d++) {
      const weight = vector[d];
      if (weight === 0) continue;
      const at = fill[d]++;
      rows[at] = row;
      weights[at] = weight;
    }
  });
  return {
    kind: 'sparse',
    size: vectors.length,
    scoreAll(query, out) {
      out.fill(0, 0, vectors.length);
      for (let d = 0; d < dimension; d++) {
        const q = query[d];
        if (q === 0) continue;
        for (let at = start[d], end = start[d + 1]; at < end; at++) out[rows[at]] += q * weights[at];
      }
    },
  };
}
