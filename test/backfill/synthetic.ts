import { createFeatureMatrix, normalizeRows, type FeatureMatrix } from '../../core/backfill/features.ts';
import { createRng, type Rng } from '../../core/random.ts';

/** Unit-length random features; row r is a noisy copy of its label's random centre when labels are given. */
export function randomFeatures(rows: number, dim: number, seed: number, labels?: Uint8Array, noise = 1): FeatureMatrix {
  const rng = createRng(seed);
  const centres = Array.from({ length: 256 }, () => Float32Array.from({ length: dim }, () => rng.normal()));
  const data = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < dim; j++) data[r * dim + j] = (labels ? centres[labels[r]][j] : 0) + noise * rng.normal();
  }
  return normalizeRows(createFeatureMatrix(data, dim));
}

export function randomLabels(count: number, classes: number, rng: Rng): Uint8Array {
  return Uint8Array.from({ length: count }, () => rng.int(classes));
}

export function dotRows(a: FeatureMatrix, i: number, b: FeatureMatrix, j: number): number {
  let s = 0;
  for (let k = 0; k < a.dim; k++) s += a.data[i * a.dim + k] * b.data[j * b.dim + k];
  return s;
}
