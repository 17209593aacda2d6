import { describe, expect, it } from 'vitest';
import { createFeatureMatrix } from '../../core/backfill/features.ts';
import { searchExact } from '../../core/backfill/search/exact-search.ts';
import { TopK } from '../../core/backfill/search/top-k.ts';
import { createRng } from '../../core/random.ts';
import { randomFeatures } from './synthetic.ts';

function bruteForce(scores: number[], k: number, indices?: number[]): { index: number; score: number }[] {
  return scores
    .map((score, r) => ({ index: indices ? indices[r] : r, score }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, k);
}

describe('TopK', () => {
  it('keeps the k best pairs, best first, breaking ties by the lower index', () => {
    // Prepare
    const top = new TopK(3);
    // Act
    for (const [score, index] of [[0.5, 9], [0.9, 4], [0.5, 2], [0.1, 0], [0.9, 1], [0.5, 1]]) top.push(score, index);
    // Assess
    expect(top.sorted()).toEqual([{ index: 1, score: 0.9 }, { index: 4, score: 0.9 }, { index: 1, score: 0.5 }]);
  });

  it('matches a full sort on random scores with many ties', () => {
    // Prepare
    const rng = createRng(5);
    const scores = Array.from({ length: 2000 }, () => rng.int(50) / 10);
    const top = new TopK(25);
    // Act
    scores.forEach((s, i) => top.push(s, i));
    // Assess
    expect(top.sorted()).toEqual(bruteForce(scores, 25));
  });

  it('returns everything it saw when k is larger than the candidates', () => {
    const top = new TopK(10);
    top.push(0.2, 3);
    top.push(0.7, 8);
    expect(top.sorted()).toEqual([{ index: 8, score: expect.closeTo(0.7, 6) }, { index: 3, score: expect.closeTo(0.2, 6) }]);
  });
});

describe('searchExact', () => {
  it('returns exactly the brute-force top-k for every query', () => {
    // Prepare
    const gallery = randomFeatures(3000, 24, 1);
    const queries = randomFeatures(7, 24, 2);
    // Act
    const hits = searchExact(queries, { features: gallery }, 10);
    // Assess
    for (let q = 0; q < queries.rows; q++) {
      const scores = Array.from({ length: gallery.rows }, (_, r) => {
        let s = 0;
        for (let j = 0; j < 24; j++) s += queries.data[q * 24 + j] * gallery.data[r * 24 + j];
        return s;
      });
      const expected = bruteForce(scores, 10);
      expect(hits[q].map((h) => h.index)).toEqual(expected.map((h) => h.index));
      hits[q].forEach((h, i) => expect(h.score).toBeCloseTo(expected[i].score, 5));
    }
  });

  it('reports gallery indices and scans only the rows it is given', () => {
    // Prepare: four rows standing for items 10..13; item 12 (row 2) is the second best match but left out
    const features = createFeatureMatrix(Float32Array.of(1, 0, 0.6, 0.8, 0.99, 0.14, 0, 1), 2);
    const query = createFeatureMatrix(Float32Array.of(1, 0), 2);
    // Act
    const [all] = searchExact(query, { features, indices: Int32Array.of(10, 11, 12, 13) }, 2);
    const [some] = searchExact(query, { features, indices: Int32Array.of(10, 11, 12, 13) }, 2, { rows: Uint32Array.of(0, 1, 3) });
    // Assess
    expect(all.map((h) => h.index)).toEqual([10, 12]);
    expect(some.map((h) => h.index)).toEqual([10, 11]);
  });

  it('rejects queries whose dimension differs from the gallery', () => {
    const gallery = randomFeatures(5, 8, 1);
    expect(() => searchExact(randomFeatures(1, 4, 2), { features: gallery }, 3)).toThrow(/dimension 4, expected 8/);
  });
});
