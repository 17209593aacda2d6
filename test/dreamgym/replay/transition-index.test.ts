import { describe, expect, it } from 'vitest';
import { HashedTextEmbedder } from '../../../core/dreamgym/embed/hashed-embedder.ts';
import { bruteForceTopK } from '../../../core/dreamgym/replay/index/brute-force.ts';
import { TransitionIndex } from '../../../core/dreamgym/replay/index/transition-index.ts';
import { unitVector } from '../../../core/dreamgym/replay/vectors.ts';
import { createRng } from '../../../core/random.ts';

interface Row { key: string; vector: Float32Array }

/** Rows drawn so that ties are common: repeated keys, repeated vectors under different keys, coarse values. */
function rows(count: number, dimension: number, sparse: boolean, seed: number): Row[] {
  const rng = createRng(seed);
  const pool: Row[] = [];
  const out: Row[] = [];
  for (let i = 0; i < count; i++) {
    const roll = rng.next();
    if (pool.length > 0 && roll < 0.3) out.push(rng.pick(pool));
    else if (pool.length > 0 && roll < 0.4) out.push({ key: `other-${i}`, vector: rng.pick(pool).vector });
    else {
      const raw = new Float32Array(dimension);
      for (let d = 0; d < dimension; d++) if (!sparse || rng.next() < 0.1) raw[d] = rng.int(3) + (sparse ? 1 : -1);
      const row = { key: `key-${i}`, vector: unitVector(raw) };
      pool.push(row);
      out.push(row);
    }
  }
  return out;
}

function check(data: Row[], queries: Float32Array[], dimension: number) {
  const index = new TransitionIndex(dimension);
  for (const row of data) index.add(row.key, row.vector);
  const vectors = data.map((r) => r.vector);
  const keys = data.map((r) => r.key);
  for (const query of queries) {
    for (const k of [1, 3, 10, 50]) {
      expect(index.search(query, k)).toEqual(bruteForceTopK(query, vectors, k));
      expect(index.search(query, k, { distinct: true })).toEqual(bruteForceTopK(query, vectors, k, { distinct: true, keys }));
    }
  }
  return index;
}

describe('the exact transition index', () => {
  it('returns exactly the brute-force top-k of sparse vectors, ties broken by row, with and without duplicates', () => {
    // Prepare
    const data = rows(600, 64, true, 1);
    const queries = [...data.slice(0, 10).map((r) => r.vector), ...rows(10, 64, true, 2).map((r) => r.vector)];
    // Act
    const index = check(data, queries, 64);
    // Assess
    expect(index.scorerKind).toBe('sparse');
    expect(index.groups).toBeLessThan(data.length);
  });

  it('returns exactly the brute-force top-k of dense vectors', () => {
    const data = rows(401, 24, false, 3);
    const index = check(data, rows(10, 24, false, 4).map((r) => r.vector), 24);
    expect(index.scorerKind).toBe('dense');
  });

  it('scores duplicated (s, a) rows once but returns each copy when duplicates are wanted', () => {
    // Prepare
    const embedder = new HashedTextEmbedder({ dimension: 128 });
    const index = new TransitionIndex(128);
    const texts = ['page: search\naction: search[red shirt]', 'page: search\naction: search[red shirt]', 'page: search\naction: search[blue shirt]'];
    texts.forEach((text) => index.add(text, embedder.embedOne(text)));
    // Act
    const all = index.search(embedder.embedOne(texts[0]), 3);
    const distinct = index.search(embedder.embedOne(texts[0]), 3, { distinct: true });
    // Assess
    expect(index.groups).toBe(2);
    expect(all.map((r) => r.row)).toEqual([0, 1, 2]);
    expect(distinct.map((r) => r.row)).toEqual([0, 2]);
    expect(all[0].similarity).toBeCloseTo(1, 6);
  });

  it('returns nothing for k of zero or an empty index, and refuses a query of another dimension', () => {
    const index = new TransitionIndex(4);
    expect(index.search(new Float32Array(4), 5)).toEqual([]);
    index.add('a', unitVector(Float32Array.of(1, 0, 0, 0)));
    expect(index.search(new Float32Array(4), 0)).toEqual([]);
    expect(() => index.search(new Float32Array(3), 1)).toThrow(/3 dimensions, the index has 4/);
  });
});
