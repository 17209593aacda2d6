import { createDenseScorer } from './dense-scorer.ts';
import { createSparseScorer } from './sparse-scorer.ts';

/**
 * Scores a query against every stored vector. Implementations must produce, for each vector, exactly
 * Σ_d query[d]·vector[d] summed in float64 in increasing d, the reference order, so their results are bit-identical
 * to the brute-force reference and ties fall the same way.
 */
export interface GroupScorer {
  readonly kind: 'sparse' | 'dense';
  readonly size: number;
  /** Writes the score of vector i into `out[i]` for every i < size. */
  scoreAll(query: Float32Array, out: Float64Array): void;
}

/** Above this share of non-zero entries, inverted lists stop paying for themselves. */
const SPARSE_DENSITY = 0.2;

/** Inverted lists for sparse vectors (the hashed embedder's), a blocked dense product for the rest. */
export function createGroupScorer(vectors: readonly Float32Array[], dimension: number): GroupScorer {
  let nonZero = 0;
  for (const vector of vectors) for (let d = 0; d < dimension; d++) if (vector[d] !== 0) nonZero++;
  const density = vectors.length === 0 ? 1 : nonZero / (vectors.length * dimension);
  return density <= SPARSE_DENSITY ? createSparseScorer(vectors, dimension, nonZero) : createDenseScorer(vectors, dimension);
}
