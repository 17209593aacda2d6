import { createFeatureMatrix, normalizeRows, type FeatureMatrix } from '../features.ts';
import { createRng } from '../../random.ts';

export interface ClusteredVectorsOptions {
  readonly rows: number;
  readonly dim: number;
  /** Number of Gaussian clusters (default rows/1000, at least 10). */
  readonly clusters?: number;
  /** Standard deviation of each coordinate around its cluster centre, relative to the centre's (default 0.5). */
  readonly spread?: number;
  readonly seed: number;
}

/**
 * Unit vectors drawn around random cluster centres: a stand-in for real embeddings where neighbours exist, so an
 * approximate index's recall means something (uniform random vectors in 512 dimensions are all nearly orthogonal).
 * The same seed gives the same vectors; `centres` lets a second set (the queries) share the clusters.
 *
 * @example
 * const { vectors, centres } = clusteredUnitVectors({ rows: 100_000, dim: 512, seed: 1 });
 */
export function clusteredUnitVectors(options: ClusteredVectorsOptions, centres?: FeatureMatrix): { vectors: FeatureMatrix; centres: FeatureMatrix } {
  const { rows, dim, seed } = options;
  const spread = options.spread ?? 0.5;
  const rng = createRng(seed);
  const count = options.clusters ?? Math.max(10, Math.round(rows / 1000));
  const c = centres ?? normalizeRows(createFeatureMatrix(Float32Array.from({ length: count * dim }, () => rng.normal()), dim));
  const data = new Float32Array(rows * dim);
  const sigma = spread / Math.sqrt(dim);
  for (let r = 0; r < rows; r++) {
    const centre = rng.int(c.rows) * dim;
    for (let j = 0; j < dim; j++) data[r * dim + j] = c.data[centre + j] + sigma * rng.normal();
  }
  return { vectors: normalizeRows(createFeatureMatrix(data, dim)), centres: c };
}
