import { InvalidInputError } from '../errors.ts';

/**
 * A dense row-major matrix of float32 feature vectors: row `i` occupies `data[i * dim, (i + 1) * dim)`.
 * Every embedding, gallery part and query batch in the backfill code is one of these, so the hot loops
 * run over a single typed array instead of arrays of arrays.
 *
 * @example
 * const m = createFeatureMatrix(new Float32Array([3, 4, 0, 1]), 2);
 * normalizeRows(m); // rows become [0.6, 0.8] and [0, 1]
 */
export interface FeatureMatrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly dim: number;
}

/** Wraps `data` as a matrix of `dim` columns; the length must be a multiple of `dim`. */
export function createFeatureMatrix(data: Float32Array, dim: number): FeatureMatrix {
  if (!Number.isInteger(dim) || dim <= 0) throw new InvalidInputError(`feature dimension must be a positive integer, got ${dim}`);
  if (data.length % dim !== 0) {
    throw new InvalidInputError(`feature data length ${data.length} is not a multiple of the dimension ${dim}`);
  }
  return { data, rows: data.length / dim, dim };
}

/** An all-zero matrix of the given shape. */
export function zeroFeatures(rows: number, dim: number): FeatureMatrix {
  return createFeatureMatrix(new Float32Array(rows * dim), dim);
}

/** Row `i` as a view (no copy). */
export function featureRow(matrix: FeatureMatrix, i: number): Float32Array {
  return matrix.data.subarray(i * matrix.dim, (i + 1) * matrix.dim);
}

/** A new matrix holding the rows at `indices`, in that order. */
export function selectRows(matrix: FeatureMatrix, indices: ArrayLike<number>): FeatureMatrix {
  const { dim } = matrix;
  const out = new Float32Array(indices.length * dim);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r];
    if (i < 0 || i >= matrix.rows) throw new InvalidInputError(`row ${i} is outside a matrix of ${matrix.rows} rows`);
    out.set(matrix.data.subarray(i * dim, (i + 1) * dim), r * dim);
  }
  return { data: out, rows: indices.length, dim };
}

/**
 * Scales every row to unit L2 norm, in place, and returns the matrix. A zero row stays zero, matching
 * the exported models' `x / sqrt(max(|x|², ε))`.
 */
export function normalizeRows(matrix: FeatureMatrix, epsilon = 1e-12): FeatureMatrix {
  const { data, dim } = matrix;
  for (let r = 0; r < matrix.rows; r++) {
    const o = r * dim;
    let sum = 0;
    for (let j = 0; j < dim; j++) sum += data[o + j] * data[o + j];
    const scale = 1 / Math.sqrt(Math.max(sum, epsilon));
    for (let j = 0; j < dim; j++) data[o + j] *= scale;
  }
  return matrix;
}

/**
 * Throws an InvalidInputError naming `what` unless every row has unit L2 norm (within `tolerance`) or is zero: the
 * check that a model declared to normalise its output (a card's `output.normalized`) really does, made on its first
 * batch before its rows are trusted without `normalizeRows`.
 */
export function assertRowsNormalized(matrix: FeatureMatrix, what: string, tolerance = 1e-4): void {
  const { data, dim } = matrix;
  for (let r = 0; r < matrix.rows; r++) {
    let sum = 0;
    for (let j = r * dim; j < (r + 1) * dim; j++) sum += data[j] * data[j];
    const norm = Math.sqrt(sum);
    if (norm !== 0 && Math.abs(norm - 1) > tolerance) {
      throw new InvalidInputError(`${what}: output row ${r} has L2 norm ${norm.toPrecision(6)}, not 1; the model does not normalise its output (set output.normalized to false)`);
    }
  }
}

/** Throws an InvalidInputError naming `what` when the matrix is not `dim` wide. */
export function assertDim(matrix: FeatureMatrix, dim: number, what: string): void {
  if (matrix.dim !== dim) throw new InvalidInputError(`${what} has dimension ${matrix.dim}, expected ${dim}`);
}
