export interface Spread {
  readonly mean: number;
  /** Sample standard deviation (n − 1). */
  readonly sd: number;
  readonly min: number;
  readonly max: number;
}

export function spread(values: readonly number[]): Spread {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = values.length < 2 ? 0 : Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
  return { mean, sd, min: Math.min(...values), max: Math.max(...values) };
}

export function percent(s: Spread): string {
  return `${(100 * s.mean).toFixed(1)} ± ${(100 * s.sd).toFixed(1)}`;
}

/** Two-sided 97.5% quantiles of Student's t for 1–30 degrees of freedom (beyond: the normal 1.96). */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** Mean and its 95% confidence interval (Student's t over the values, e.g. one per seed); one value: [v, v]. */
export function meanCi(values: readonly number[]): { mean: number; ci95: [number, number] } {
  const { mean, sd } = spread(values);
  if (values.length < 2) return { mean, ci95: [mean, mean] };
  const t = T975[values.length - 2] ?? 1.96;
  const half = (t * sd) / Math.sqrt(values.length);
  return { mean, ci95: [mean - half, mean + half] };
}
