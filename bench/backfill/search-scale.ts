/**
 * Merged rt-merge search during a backfill at gallery scale: clustered unit vectors (old and new spaces, 512 dims),
 * half the gallery backfilled, every index kind side by side in one run, plus the pre-index search
 * (`createBackfillGallery` + `searchBackfillGallery`) as the control. Per row: p50/p99 of one query at a time,
 * recall@10 against the exact merge, memory of the index vs the raw vectors it holds, and the time to apply one wave
 * of 1,000 items (the same wave at every size: a wave should cost its own size, not the gallery's).
 *
 *   npm run bench -- backfill/search-scale            # 20k and 50k measured, 100k, 1M and 10M estimated
 *   npm run bench -- backfill/search-scale --large    # 100k and 1M measured, 10M estimated (long on a loaded machine)
 *
 * Estimated rows (`estimated: true`) extrapolate each figure linearly in the number of items (exact) or in log(items)
 * (approximate latency; the graph walk grows with depth, never below the largest measured value) from the two largest
 * measured sizes; recall, memory ratios and wave times are carried over. They are arithmetic, not measurements.
 */
import { parseArgs } from 'node:util';
import { clusteredUnitVectors } from '../../core/backfill/datasets/clustered-vectors.ts';
import { selectRows, type FeatureMatrix } from '../../core/backfill/features.ts';
import { createBackfillGallery } from '../../core/backfill/search/backfill-gallery.ts';
import { applyBackfillWave, createBackfillIndexes, type BackfillIndexes } from '../../core/backfill/search/index/backfill-indexes.ts';
import { exactIndexFactory, ExactIndex } from '../../core/backfill/search/index/exact-index.ts';
import { searchBackfillIndexes } from '../../core/backfill/search/index/index-merged-search.ts';
import { usearchIndexFactory } from '../../core/backfill/search/index/usearch-index.ts';
import type { VectorIndexFactory } from '../../core/backfill/search/index/vector-index.ts';
import { searchBackfillGallery, type MergedHit } from '../../core/backfill/search/merged-search.ts';
import { quantile, writeResult } from '../backfill-pipeline/table.ts';

const { values } = parseArgs({ options: { large: { type: 'boolean', default: false }, dim: { type: 'string', default: '512' }, queries: { type: 'string', default: '200' } } });
const dim = Number(values.dim), queryCount = Number(values.queries), K = 10, WAVE = 1000;
const sizes = values.large ? [100_000, 1_000_000] : [20_000, 50_000];

interface Row {
  items: number; dim: number; index: string; p50Ms: number; p99Ms: number; recallAt10: number; memoryRatio: number; waveUpdateMs: number;
  buildMs?: number; estimated?: boolean;
}

const row1 = (m: FeatureMatrix, i: number) => selectRows(m, [i]);

function recall(got: readonly MergedHit[][], want: readonly MergedHit[][]): number {
  let hit = 0;
  got.forEach((g, q) => {
    const ids = new Set(g.map((h) => h.index));
    for (const w of want[q]) hit += ids.has(w.index) ? 1 : 0;
  });
  return hit / (want.length * K);
}

async function timeQueries(run: (q: number) => Promise<MergedHit[]> | MergedHit[]): Promise<{ hits: MergedHit[][]; times: number[] }> {
  for (let q = 0; q < 10; q++) await run(q);
  const hits: MergedHit[][] = [], times: number[] = [];
  for (let q = 0; q < queryCount; q++) {
    const t = performance.now();
    hits.push(await run(q));
    times.push(performance.now() - t);
  }
  return { hits, times };
}

async function memoryOf(indexes: BackfillIndexes): Promise<number> {
  let bytes = 0;
  for (const part of [indexes.oldRemaining, indexes.oldBackfilled, indexes.new]) {
    bytes += part instanceof ExactIndex ? part.memoryBytes() : (await part.serialize())!.byteLength;
  }
  return bytes;
}

const rows: Row[] = [];
for (const items of sizes) {
  const { vectors: oldAll, centres: oldCentres } = clusteredUnitVectors({ rows: items, dim, seed: 1 });
  const { vectors: newAll, centres: newCentres } = clusteredUnitVectors({ rows: items, dim, seed: 2 });
  const queries = { psi: clusteredUnitVectors({ rows: queryCount, dim, seed: 3 }, oldCentres).vectors, new: clusteredUnitVectors({ rows: queryCount, dim, seed: 4 }, newCentres).vectors };
  // Items 0..half-1 are backfilled; the next wave is the WAVE items after them.
  const half = items / 2;
  const done = Int32Array.from({ length: half }, (_, i) => i);
  const rawBytes = (items + half) * dim * 4;
  const control = createBackfillGallery({ features: oldAll }, { features: selectRows(newAll, Array.from(done)), indices: done });
  const exact = await timeQueries((q) => searchBackfillGallery('rt-merge', { new: row1(queries.new, q), psi: row1(queries.psi, q) }, control, K)[0]);
  const controlBytes = oldAll.data.byteLength + control.oldRemaining.features.data.byteLength + control.new.features.data.byteLength;
  rows.push({ items, dim, index: 'before: createBackfillGallery', p50Ms: quantile(exact.times, 0.5), p99Ms: quantile(exact.times, 0.99), recallAt10: 1, memoryRatio: controlBytes / rawBytes, waveUpdateMs: NaN });

  for (const [name, factory] of [['exact', exactIndexFactory], ['usearch', usearchIndexFactory({ addThreads: 2 })]] as [string, VectorIndexFactory][]) {
    const t0 = performance.now();
    const indexes = await createBackfillIndexes(factory, 'bench', dim, dim);
    const rest = Int32Array.from({ length: items - half }, (_, i) => half + i);
    await indexes.oldRemaining.add(rest, selectRows(oldAll, Array.from(rest)));
    await indexes.oldBackfilled.add(done, selectRows(oldAll, Array.from(done)));
    await indexes.new.add(done, selectRows(newAll, Array.from(done)));
    const buildMs = performance.now() - t0;
    const got = await timeQueries(async (q) => (await searchBackfillIndexes('rt-merge', { new: row1(queries.new, q), psi: row1(queries.psi, q) }, indexes, K))[0]);
    const memoryRatio = (await memoryOf(indexes)) / rawBytes;
    const wave = Int32Array.from({ length: WAVE }, (_, i) => half + i);
    const t1 = performance.now();
    await applyBackfillWave(indexes, wave, selectRows(oldAll, Array.from(wave)), selectRows(newAll, Array.from(wave)));
    const waveUpdateMs = performance.now() - t1;
    rows.push({ items, dim, index: name, p50Ms: quantile(got.times, 0.5), p99Ms: quantile(got.times, 0.99), recallAt10: recall(got.hits, exact.hits), memoryRatio, waveUpdateMs, buildMs });
    console.error(`measured ${name} at ${items}`);
  }
}

// Estimates for the sizes not measured, from the two largest measured sizes.
const measured = sizes.slice(-2);
for (const target of values.large ? [10_000_000] : [100_000, 1_000_000, 10_000_000]) {
  for (const index of ['before: createBackfillGallery', 'exact', 'usearch']) {
    const [a, b] = measured.map((n) => rows.find((r) => r.items === n && r.index === index)!);
    const grow = (x: number, y: number) => index === 'usearch'
      ? Math.max(y, y + ((y - x) * Math.log(target / b.items)) / Math.log(b.items / a.items))
      : Math.max(y, y + ((y - x) * (target - b.items)) / (b.items - a.items));
    rows.push({ ...b, items: target, p50Ms: grow(a.p50Ms, b.p50Ms), p99Ms: grow(a.p99Ms, b.p99Ms), buildMs: b.buildMs === undefined ? undefined : (b.buildMs * target) / b.items, estimated: true });
  }
}

const round = (x: number | undefined, d = 3) => (x === undefined || Number.isNaN(x) ? null : +x.toFixed(d));
const out = rows.map((r) => ({ ...r, p50Ms: round(r.p50Ms), p99Ms: round(r.p99Ms), recallAt10: round(r.recallAt10, 4), memoryRatio: round(r.memoryRatio, 2), waveUpdateMs: round(r.waveUpdateMs, 1), buildMs: round(r.buildMs, 0) }));
console.log(`rt-merge search, clustered unit vectors × ${dim}, half backfilled, ${queryCount} single queries, k=${K}, wave of ${WAVE} items`);
console.table(out);
console.log(`wrote ${await writeResult('backfill-search-scale', { dim, k: K, queries: queryCount, wave: WAVE, rows: out })}`);
