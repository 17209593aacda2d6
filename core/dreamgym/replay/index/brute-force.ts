import type { ScoredRow } from './transition-index.ts';

/**
 * The reference top-k: every row's similarity Σ_d query[d]·row[d] (float64, increasing d), ranked by similarity
 * then by row position. With `distinct`, a row is skipped when an earlier row has the same key and the same vector.
 * Slow on purpose; tests and benchmarks check the index against it.
 *
 * @example
 * const expected = bruteForceTopK(query, rows.map((r) => r.vector), 5);
 */
export function bruteForceTopK(
  query: Float32Array,
  vectors: readonly Float32Array[],
  k: number,
  options: { distinct?: boolean; keys?: readonly string[] } = {},
): ScoredRow[] {
  const scored: ScoredRow[] = [];
  const seen = new Map<string, Float32Array[]>();
  vectors.forEach((vector, row) => {
    if (options.distinct) {
      const key = options.keys?.[row] ?? '';
      const earlier = seen.get(key) ?? [];
      if (earlier.some((other) => sameVector(other, vector))) return;
      seen.set(key, [...earlier, vector]);
    }
    let similarity = 0;
    for (let d = 0; d < query.length; d++) similarity += query[d] * vector[d];
    scored.push({ row, similarity });
  });
  scored.sort((a, b) => b.similarity - a.similarity || a.row - b.row);
  return scored.slice(0, Math.max(0, k));
}

export function sameVector(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
