import { describe, expect, it } from 'vitest';
import { clusteredUnitVectors } from '../../core/backfill/datasets/clustered-vectors.ts';
import { selectRows } from '../../core/backfill/features.ts';
import { searchExact } from '../../core/backfill/search/exact-search.ts';
import { ExactIndex } from '../../core/backfill/search/index/exact-index.ts';
import { IdSlots } from '../../core/backfill/search/index/id-slots.ts';
import { UsearchIndex } from '../../core/backfill/search/index/usearch-index.ts';
import type { VectorIndex } from '../../core/backfill/search/index/vector-index.ts';
import { InvalidInputError } from '../../core/errors.ts';

const N = 3000, DIM = 32, K = 10;
const { vectors, centres } = clusteredUnitVectors({ rows: N, dim: DIM, clusters: 30, seed: 1 });
const queries = clusteredUnitVectors({ rows: 50, dim: DIM, seed: 2 }, centres).vectors;
const allIds = Int32Array.from({ length: N }, (_, i) => i);

async function filled(make: () => VectorIndex): Promise<VectorIndex> {
  const index = make();
  await index.add(allIds, vectors);
  return index;
}

/** The exact top-k of the rows kept, by gallery id. */
function truth(kept: (id: number) => boolean) {
  const rows = Uint32Array.from(Array.from(allIds).filter(kept));
  return searchExact(queries, { features: vectors }, K, { rows });
}

function recall(got: { index: number }[][], want: { index: number }[][]): number {
  let hit = 0, total = 0;
  got.forEach((g, q) => {
    const ids = new Set(g.map((h) => h.index));
    for (const w of want[q]) hit += ids.has(w.index) ? 1 : 0;
    total += want[q].length;
  });
  return hit / total;
}

describe('ExactIndex', () => {
  it('equals searchExact after adds, replacements and removals in any order', async () => {
    const index = new ExactIndex(DIM);
    await index.add(allIds.subarray(N / 2), selectRows(vectors, Array.from(allIds.subarray(N / 2))));
    await index.add(allIds.subarray(0, N / 2), selectRows(vectors, Array.from(allIds.subarray(0, N / 2))));
    const removed = Int32Array.from({ length: 700 }, (_, i) => (i * 37) % N);
    await index.remove(removed);
    const gone = new Set(removed);
    expect(await index.size()).toBe(N - gone.size);
    expect(await index.search(queries, K)).toEqual(truth((id) => !gone.has(id)));
    expect(await index.search(queries, K, { filter: (id) => id % 2 === 0 })).toEqual(truth((id) => id % 2 === 0 && !gone.has(id)));
    await index.add(Int32Array.of(5), selectRows(vectors, [6])); // a replacement keeps one slot
    expect(gone.has(5)).toBe(false);
    expect(await index.size()).toBe(N - gone.size);
    const [hits] = await index.search(selectRows(vectors, [6]), 2);
    expect(hits.map((h) => h.index).sort()).toEqual([5, 6]);
    expect(hits[0].score).toBe(hits[1].score);
  });

  it('round-trips through bytes and refuses bytes of another dimension or kind', async () => {
    const index = await filled(() => new ExactIndex(DIM));
    await index.remove(Int32Array.of(1, 2, 3));
    const bytes = (await index.serialize())!;
    const back = await ExactIndex.load(DIM, bytes);
    expect(await back.search(queries, K)).toEqual(await index.search(queries, K));
    await expect(ExactIndex.load(DIM + 1, bytes)).rejects.toThrow(/dimension 32, expected 33/);
    await expect(ExactIndex.load(DIM, bytes.subarray(0, 100))).rejects.toThrow(InvalidInputError);
  });

  it('holds ids in typed arrays, not a Map', () => {
    const slots = new IdSlots();
    for (let i = 0; i < 1000; i++) slots.append(999 - i);
    slots.removeAt(slots.slot(500));
    expect(slots.count).toBe(999);
    expect(slots.slot(500)).toBe(-1);
    expect(slots.idOf[slots.slot(0)]).toBe(0);
    expect(() => slots.append(-1)).toThrow(/non-negative 32-bit/);
  });
});

describe('UsearchIndex', () => {
  it('finds the exact top-10 at recall ≥ 0.95 on clustered vectors (seeded), and keeps it after removals', async () => {
    const index = await filled(() => new UsearchIndex(DIM));
    expect(recall(await index.search(queries, K), truth(() => true))).toBeGreaterThanOrEqual(0.95);
    const removed = Int32Array.from({ length: N / 2 }, (_, i) => 2 * i);
    await index.remove(removed);
    expect(await index.size()).toBe(N / 2);
    const after = await index.search(queries, K);
    expect(after.flat().every((h) => h.index % 2 === 1)).toBe(true);
    expect(recall(after, truth((id) => id % 2 === 1))).toBeGreaterThanOrEqual(0.95);
  });

  it('replaces a re-added id, filters, and round-trips through bytes', async () => {
    const index = await filled(() => new UsearchIndex(DIM));
    await index.add(Int32Array.of(7), selectRows(vectors, [8]));
    expect(await index.size()).toBe(N);
    const [hits] = await index.search(selectRows(vectors, [8]), 2);
    expect(hits.map((h) => h.index).sort()).toEqual([7, 8]);
    const filtered = await index.search(queries, K, { filter: (id) => id % 3 === 0 });
    expect(filtered.every((h) => h.length === K && h.every((x) => x.index % 3 === 0))).toBe(true);
    const back = await UsearchIndex.load(DIM, (await index.serialize())!);
    expect(await back.search(queries, K)).toEqual(await index.search(queries, K));
    await expect(UsearchIndex.load(DIM, new Uint8Array(10))).rejects.toThrow(InvalidInputError);
  });

  it('round-trips an emptied index and keeps working after it (loading usearch\'s file of an empty index corrupted the heap)', async () => {
    const index = await filled(() => new UsearchIndex(DIM));
    await index.remove(allIds);
    const back = await UsearchIndex.load(DIM, (await index.serialize())!);
    expect(await back.size()).toBe(0);
    expect(await back.search(queries, K)).toEqual(queries.rows ? Array.from({ length: queries.rows }, () => []) : []);
    await back.add(allIds.subarray(0, 100), selectRows(vectors, Array.from(allIds.subarray(0, 100))));
    expect((await back.search(queries, K)).every((h) => h.length === K)).toBe(true);
  });
});
