import { meanInterval } from '../../../core/stats/mean-interval.ts';

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

/** Mean and its 95% confidence interval (Student's t over the values, e.g. one per seed); one value: [v, v]. */
export function meanCi(values: readonly number[]): { mean: number; ci95: [number, number] } {
  const { mean, ci95 } = meanInterval(values);
  return { mean, ci95: [ci95[0], ci95[1]] };
}
