import { InvalidInputError } from '../errors.ts';

/** A sample mean with its two-sided 95% Student-t confidence interval. */
export interface MeanInterval {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1 denominator); 0 for a single value. */
  readonly sd: number;
  /** [lo, hi]; both equal the mean when n = 1 (no spread can be estimated from one value). */
  readonly ci95: readonly [number, number];
}

/** t(0.975, df) for df = 1 … 30. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/**
 * The 0.975 quantile of Student's t with `df` degrees of freedom: tabulated to df = 30, beyond that the
 * Cornish–Fisher expansion around the normal quantile (error below 1e-4 there).
 *
 * @example
 * tQuantile975(4); // 2.776
 */
export function tQuantile975(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new InvalidInputError(`degrees of freedom must be a positive integer, got ${df}`);
  if (df <= T975.length) return T975[df - 1];
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2);
}

/**
 * Mean and 95% confidence interval of a sample (for paired differences, pass the per-seed differences).
 *
 * @example
 * meanInterval([0.01, 0.02, 0.03]); // { n: 3, mean: 0.02, sd: 0.01, ci95: [-0.0048, 0.0448] }
 */
export function meanInterval(values: readonly number[]): MeanInterval {
  const n = values.length;
  if (n === 0) throw new InvalidInputError('a mean needs at least one value');
  if (values.some((v) => !Number.isFinite(v))) throw new InvalidInputError(`values must be finite numbers, got ${values.join(', ')}`);
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n === 1) return { n, mean, sd: 0, ci95: [mean, mean] };
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const half = (tQuantile975(n - 1) * sd) / Math.sqrt(n);
  return { n, mean, sd, ci95: [mean - half, mean + half] };
}
