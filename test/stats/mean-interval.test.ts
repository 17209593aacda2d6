import { describe, expect, it } from 'vitest';
import { meanInterval, tQuantile975 } from '../../core/stats/mean-interval.ts';

describe('meanInterval', () => {
  it('gives the mean and the Student-t 95% interval of a small sample', () => {
    // Prepare: mean 0.02, sample sd 0.01, n 3 → half-width t(0.975, 2) · 0.01 / √3
    const values = [0.01, 0.02, 0.03];
    // Act
    const m = meanInterval(values);
    // Assess
    expect(m.n).toBe(3);
    expect(m.mean).toBeCloseTo(0.02, 12);
    expect(m.sd).toBeCloseTo(0.01, 12);
    const half = (4.303 * 0.01) / Math.sqrt(3);
    expect(m.ci95[0]).toBeCloseTo(0.02 - half, 12);
    expect(m.ci95[1]).toBeCloseTo(0.02 + half, 12);
  });

  it('has no spread for one value, and refuses an empty or non-finite sample', () => {
    expect(meanInterval([0.5])).toEqual({ n: 1, mean: 0.5, sd: 0, ci95: [0.5, 0.5] });
    expect(() => meanInterval([])).toThrow(/at least one value/);
    expect(() => meanInterval([1, Number.NaN])).toThrow(/finite/);
  });
});

describe('tQuantile975', () => {
  it('matches the t table and approaches the normal quantile', () => {
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(9)).toBe(2.262);
    expect(tQuantile975(40)).toBeCloseTo(2.021, 3);
    expect(tQuantile975(120)).toBeCloseTo(1.980, 3);
    expect(() => tQuantile975(0)).toThrow(/positive integer/);
  });
});
