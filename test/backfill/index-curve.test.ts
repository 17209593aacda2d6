import { describe, expect, it } from 'vitest';
import { backfillOrder, DEFAULT_FRACTIONS } from '../../core/backfill/eval/backfill-order.ts';
import { indexBackfillCurves } from '../../core/backfill/eval/index-curve.ts';
import { selectRows } from '../../core/backfill/features.ts';
import { exactIndexFactory } from '../../core/backfill/search/index/exact-index.ts';
import { usearchIndexFactory } from '../../core/backfill/search/index/usearch-index.ts';
import { createRng } from '../../core/random.ts';
import { randomFeatures, randomLabels } from './synthetic.ts';

// A weak old space and a stronger new one over the same 10 classes; queries drawn with the gallery, then split off.
const N = 2000, Q = 100, DIM = 32;
const labels = randomLabels(N + Q, 10, createRng(7));
const old = randomFeatures(N + Q, DIM, 1, labels, 2.5);
const fresh = randomFeatures(N + Q, DIM, 2, labels, 1);
const g = Array.from({ length: N }, (_, i) => i), q = Array.from({ length: Q }, (_, i) => N + i);
const input = {
  gallery: { old: selectRows(old, g), new: selectRows(fresh, g), labels: labels.subarray(0, N) },
  queries: { old: selectRows(old, q), new: selectRows(fresh, q), psi: selectRows(old, q), labels: labels.subarray(N) },
  order: backfillOrder(N, 1), fractions: DEFAULT_FRACTIONS, modes: ['rank-merge', 'rt-merge'] as const, k: 20,
};

describe('the backfill curve through vector indexes', () => {
  it('gives the same AUC and relative gain with usearch as with the exact index, waves applied as shards commit', async () => {
    // Act
    const exact = await indexBackfillCurves(exactIndexFactory, { ...input, modes: [...input.modes] });
    const approx = await indexBackfillCurves(usearchIndexFactory({ addThreads: 1 }), { ...input, modes: [...input.modes] });
    // Assess
    for (const mode of input.modes) {
      const e = exact[mode], u = approx[mode];
      expect(e.curve).toHaveLength(11);
      expect(e.curve[10][1]).toBeGreaterThan(e.curve[0][1] + 0.05); // the new space is clearly better: the gain means something
      expect(Math.abs(u.auc - e.auc)).toBeLessThanOrEqual(0.01);
      expect(Math.abs(u.relativeGain! - e.relativeGain!)).toBeLessThanOrEqual(0.01);
      const found = u.hits.flatMap((rows, f) => rows.map((row, i) => row.filter((id) => e.hits[f][i].includes(id)).length));
      expect(found.reduce((a, b) => a + b, 0) / (11 * Q * input.k)).toBeGreaterThanOrEqual(0.95);
    }
  }, 120_000);
});
