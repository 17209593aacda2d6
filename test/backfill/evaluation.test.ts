import { describe, expect, it } from 'vitest';
import { NO_LABEL } from '../../core/backfill/datasets/image-set.ts';
import { averagePrecision, mergedAveragePrecision, rankRow } from '../../core/backfill/eval/average-precision.ts';
import { backfilledMask, backfillOrder } from '../../core/backfill/eval/backfill-order.ts';
import { summarizeCurve } from '../../core/backfill/eval/curve-summary.ts';
import { evaluateBackfill } from '../../core/backfill/eval/evaluate-backfill.ts';
import { rankByScore } from '../../core/backfill/eval/ranking.ts';
import { createRng } from '../../core/random.ts';
import { randomFeatures, randomLabels } from './synthetic.ts';

describe('rankByScore', () => {
  it('orders by score descending, ties by lower index, with -0 just below +0', () => {
    const scores = Float32Array.of(0.5, -0.25, 0, 0.5, -0, 1, -1, 0.125);
    expect(Array.from(rankByScore(scores))).toEqual([5, 0, 3, 7, 2, 4, 1, 6]);
  });

  it('agrees with a comparison sort on random scores with ties', () => {
    const rng = createRng(2);
    const scores = Float32Array.from({ length: 5000 }, () => (rng.int(400) - 200) / 64);
    const expected = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a] || a - b);
    expect(Array.from(rankByScore(scores))).toEqual(expected);
  });
});

describe('averagePrecision', () => {
  it('matches a hand-computed example', () => {
    // Prepare: ranking by score is items 3, 0, 4, 1, 2; relevant (label 7) are 3, 4 and 2
    const scores = Float32Array.of(0.8, 0.4, 0.1, 0.9, 0.5);
    const labels = Uint8Array.of(1, 1, 7, 7, 7);
    // Act
    const result = averagePrecision(scores, labels, 7);
    // Assess: precision at the relevant ranks 1, 3, 5 is 1/1, 2/3, 3/5
    expect(result.averagePrecision).toBeCloseTo((1 + 2 / 3 + 3 / 5) / 3, 12);
    expect(result.top1).toBe(1);
  });

  it('reports a miss at rank one as top-1 = 0', () => {
    expect(averagePrecision(Float32Array.of(0.9, 0.1), Uint8Array.of(0, 1), 1)).toEqual({ averagePrecision: 0.5, top1: 0 });
  });
});

describe('mergedAveragePrecision', () => {
  it('equals AP of the explicitly merged ranking at every backfill count', () => {
    // Prepare
    const rng = createRng(4);
    const n = 300;
    const labels = randomLabels(n, 4, rng);
    const oldScores = Float32Array.from({ length: n }, () => rng.next());
    const newScores = Float32Array.from({ length: n }, () => rng.int(50) / 50);
    const order = backfillOrder(n, 11);
    const rank = new Uint32Array(n);
    order.forEach((item, r) => (rank[item] = r));
    const relevant = labels.filter((l) => l === 2).length;
    for (const count of [0, 1, 77, 150, 299, 300]) {
      // Act
      const merged = mergedAveragePrecision(rankRow(oldScores, labels, 2, rank), rankRow(newScores, labels, 2, rank), count, relevant);
      // Assess
      const mask = backfilledMask(order, count / n);
      const explicit = Float32Array.from({ length: n }, (_, i) => (mask[i] ? newScores[i] : oldScores[i]));
      expect(merged.averagePrecision).toBeCloseTo(averagePrecision(explicit, labels, 2).averagePrecision, 12);
      expect(merged.top1).toBe(averagePrecision(explicit, labels, 2).top1);
    }
  });
});

describe('summarizeCurve', () => {
  it('integrates by the trapezoid rule and measures gain against old and new', () => {
    const summary = summarizeCurve([[0, 0.5, 0], [0.5, 0.6, 0], [1, 0.7, 0]], 0.5, 0.7);
    expect(summary.auc).toBeCloseTo(0.6, 12);
    expect(summary.relativeGain).toBeCloseTo(0.5, 12);
  });

  it('counts points below the old score as negative flips', () => {
    expect(summarizeCurve([[0, 0.4, 0], [0.5, 0.5, 0], [1, 0.49, 0]], 0.5, 0.9).negativeFlips).toBe(2);
  });
});

describe('evaluateBackfill', () => {
  const rng = createRng(8);
  const galleryLabels = randomLabels(600, 5, rng);
  const queryLabels = randomLabels(40, 5, rng);
  const gallery = { old: randomFeatures(600, 12, 1, galleryLabels, 2.5), new: randomFeatures(600, 12, 2, galleryLabels, 1), labels: galleryLabels };
  const queries = { old: randomFeatures(40, 12, 1, queryLabels, 2.5), new: randomFeatures(40, 12, 2, queryLabels, 1), labels: queryLabels };
  const psi = randomFeatures(40, 12, 1, queryLabels, 1.5);
  const result = evaluateBackfill({ gallery, queries, psi, seed: 3 });

  it('puts the old model\'s score at 0% and the new model\'s score, exactly, at 100% for every merge mode', () => {
    expect(result.mAP.new).toBeGreaterThan(result.mAP.old);
    for (const mode of ['naive', 'rank-merge', 'rt-merge']) {
      const curve = result.modes[mode].curve;
      expect(curve.map((p) => p[0])).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map((f) => expect.closeTo(f, 12)));
      expect(curve[10][1]).toBe(result.mAP.new);
      expect(curve[10][2]).toBe(result.top1.new);
    }
    expect(result.modes['rank-merge'].curve[0][1]).toBe(result.mAP.old);
  });

  it('reports the old mode as a flat line with zero gain', () => {
    expect(result.modes.old.auc).toBeCloseTo(result.mAP.old, 12);
    expect(result.modes.old.relativeGain).toBeCloseTo(0, 12);
    expect(result.modes.old.negativeFlips).toBe(0);
  });

  it('sees the naive merge\'s cross-space noise as negative flips', () => {
    expect(result.modes.naive.negativeFlips).toBeGreaterThan(0);
    expect(result.modes.naive.curve[0][1]).toBeLessThan(result.mAP.old);
  });

  it('is deterministic for a seed and changes with another backfill order', () => {
    const again = evaluateBackfill({ gallery, queries, psi, seed: 3 });
    const other = evaluateBackfill({ gallery, queries, psi, seed: 4 });
    expect(again).toEqual(result);
    expect(other.modes['rank-merge'].curve[5][1]).not.toBe(result.modes['rank-merge'].curve[5][1]);
  });

  it('leaves unlabelled queries out of every mean, even when the gallery has unlabelled items too', () => {
    // Prepare
    const galleryWithUnlabelled = Int32Array.from(galleryLabels, (l, i) => (i < 50 ? NO_LABEL : l));
    const unlabelled = Int32Array.from(queryLabels, (l, i) => (i < 10 ? NO_LABEL : l));
    // Act
    const partial = evaluateBackfill({ gallery: { ...gallery, labels: galleryWithUnlabelled }, queries: { ...queries, labels: unlabelled }, psi, seed: 3 });
    // Assess
    expect(partial.queryCount).toBe(30);
  });

  it('rejects ψ features of the wrong dimension', () => {
    expect(() => evaluateBackfill({ gallery, queries, psi: randomFeatures(40, 6, 1) })).toThrow(/ψ query features has dimension 6, expected 12/);
  });
});
