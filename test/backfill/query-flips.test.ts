import { describe, expect, it } from 'vitest';
import { averagePrecision } from '../../core/backfill/eval/average-precision.ts';
import { backfilledMask, backfillOrder, DEFAULT_FRACTIONS } from '../../core/backfill/eval/backfill-order.ts';
import { evaluateBackfill } from '../../core/backfill/eval/evaluate-backfill.ts';
import { isApDrop, isTop1Flip, meanShare, QueryFlipCounter, worstShare } from '../../core/backfill/eval/query-flips.ts';
import { createFeatureMatrix } from '../../core/backfill/features.ts';
import { createRng } from '../../core/random.ts';
import { dotRows, randomFeatures, randomLabels } from './synthetic.ts';

/** Unit vectors in the plane at the given angles (degrees). */
function atAngles(...degrees: number[]) {
  return createFeatureMatrix(Float32Array.from(degrees.flatMap((d) => [Math.cos((d * Math.PI) / 180), Math.sin((d * Math.PI) / 180)])), 2);
}

describe('per-query negative flips', () => {
  // Gallery g0 (A) at 0°, g1 (A) at 60°, g2 (B) at 120°, the same in both spaces. Old → new query:
  //   q0 (A)  10° → 125°: ranking A A B → B A A   top-1 right → wrong, AP 1 → 0.583
  //   q1 (A)  20° →  85°: ranking A A B → A B A   top-1 stays right, AP 1 → 0.833
  //   q2 (B) 115° → 120°: top-1 right, AP 1 in both
  //   q3, q4, q5 (A) 125°, 130°, 135° → 10°, 15°, 5°: ranking B A A → A A B   improve
  const gallery = { old: atAngles(0, 60, 120), new: atAngles(0, 60, 120), labels: Uint8Array.of(0, 0, 1) };
  const queries = { old: atAngles(10, 20, 115, 125, 130, 135), new: atAngles(125, 85, 120, 10, 15, 5), labels: Uint8Array.of(0, 0, 1, 0, 0, 0) };
  // At 1/3 only g2 is backfilled: rank-merge scores g2 with the new query and g0, g1 with the old one, which for
  // q0 gives B A A, for q1 A B A, for q3 … q5 A B A (AP up from 0.583 to 0.833).
  const fractions = [0, 1 / 3, 1];
  const result = evaluateBackfill({ gallery, queries, psi: queries.new, fractions, order: Uint32Array.of(2, 0, 1) });

  it('counts the queries whose top-1 turns from right to wrong, and whose AP drops, at each fraction', () => {
    expect(result.queryCount).toBe(6);
    expect(result.modes['rank-merge'].queryFlipRate).toEqual({ top1: [[0, 0], [1 / 3, 1 / 6], [1, 1 / 6]], ap: [[0, 0], [1 / 3, 2 / 6], [1, 2 / 6]] });
  });

  it('sees flips already at 0% when the query runs through the new model (naive and ψ with ψ = identity here)', () => {
    for (const mode of ['naive', 'rt-merge']) {
      expect(result.modes[mode].queryFlipRate, mode).toEqual({ top1: [[0, 1 / 6], [1 / 3, 1 / 6], [1, 1 / 6]], ap: [[0, 2 / 6], [1 / 3, 2 / 6], [1, 2 / 6]] });
    }
  });

  it('measures the old model against itself as no flips, while its curve-level count stays apart', () => {
    expect(result.modes.old.queryFlipRate).toEqual({ top1: [[0, 0], [1 / 3, 0], [1, 0]], ap: [[0, 0], [1 / 3, 0], [1, 0]] });
    // mAP rises (0.792 → 0.819 at 1/3 → 0.903), so no curve point is below the old model's, yet q0 and q1 flip
    expect(result.modes['rank-merge'].curve.map((p) => p[1])).toEqual([result.mAP.old, expect.closeTo(4.917 / 6, 3), result.mAP.new]);
    expect(result.modes['rank-merge'].negativeFlips).toBe(0);
  });

  it('agrees with a query-by-query count over explicitly merged rankings on random data', () => {
    // Prepare
    const rng = createRng(5);
    const gl = randomLabels(300, 4, rng), ql = randomLabels(30, 4, rng);
    const g = { old: randomFeatures(300, 8, 1, gl, 2), new: randomFeatures(300, 8, 2, gl, 1), labels: gl };
    const q = { old: randomFeatures(30, 8, 1, ql, 2), new: randomFeatures(30, 8, 2, ql, 1), labels: ql };
    const order = backfillOrder(300, 9);
    // Act
    const evaluated = evaluateBackfill({ gallery: g, queries: q, order });
    // Assess
    for (const [fi, fraction] of DEFAULT_FRACTIONS.entries()) {
      const mask = backfilledMask(order, fraction);
      let top1 = 0, ap = 0;
      for (let qi = 0; qi < 30; qi++) {
        const oldScores = Float32Array.from({ length: 300 }, (_, i) => dotRows(q.old, qi, g.old, i));
        const merged = Float32Array.from({ length: 300 }, (_, i) => (mask[i] ? dotRows(q.new, qi, g.new, i) : oldScores[i]));
        const before = averagePrecision(oldScores, gl, ql[qi]), now = averagePrecision(merged, gl, ql[qi]);
        if (before.top1 === 1 && now.top1 === 0) top1++;
        if (now.averagePrecision < before.averagePrecision - 1e-6) ap++;
      }
      expect(evaluated.modes['rank-merge'].queryFlipRate.top1[fi]).toEqual([fraction, top1 / 30]);
      expect(evaluated.modes['rank-merge'].queryFlipRate.ap[fi]).toEqual([fraction, ap / 30]);
    }
    expect(worstShare(evaluated.modes['rank-merge'].queryFlipRate.top1)).toBeGreaterThan(0);
  });
});

describe('QueryFlipCounter', () => {
  it('turns counts into shares and summarises a curve by its mean and worst point', () => {
    const counter = new QueryFlipCounter([0, 0.5, 1]);
    counter.record(1, { averagePrecision: 0.4, top1: 0 }, { averagePrecision: 0.6, top1: 1 });
    counter.record(2, { averagePrecision: 0.5, top1: 1 }, { averagePrecision: 0.6, top1: 1 });
    counter.record(2, { averagePrecision: 0.9, top1: 1 }, { averagePrecision: 0.6, top1: 0 });
    const rates = counter.rates([0, 0.5, 1], 4);
    expect(rates).toEqual({ top1: [[0, 0], [0.5, 0.25], [1, 0]], ap: [[0, 0], [0.5, 0.25], [1, 0.25]] });
    expect(meanShare(rates.ap)).toBeCloseTo(0.5 / 3, 12);
    expect(worstShare(rates.ap)).toBe(0.25);
  });

  it('treats a wrong top-1 that stays wrong and an equal AP as no flip', () => {
    expect(isTop1Flip({ averagePrecision: 0.2, top1: 0 }, { averagePrecision: 0.1, top1: 0 })).toBe(false);
    expect(isApDrop({ averagePrecision: 0.5, top1: 1 }, { averagePrecision: 0.5, top1: 0 })).toBe(false);
  });
});
