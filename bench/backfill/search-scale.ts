/**
 * Merged rt-merge search during a backfill at gallery scale: clustered unit vectors (old and new spaces, 512 dims),
 * half the gallery backfilled, every index kind side by side in one run, plus the pre-index search
 * (`createBackfillGallery` + `searchBackfillGallery`) as the control. Per row: p50/p99 of one query at a time,
 * recall@10 against the exact merge, memory of the index vs the raw vectors it holds, and the time to apply waves
 * of 500, 1,000, 2,000 and 4,000 items one after the other (`waveUpdateMs` is the 1,000-item wave, the same at
 * every size: a wave should cost its own size, not the gallery's; `waves` has all four).
 *
 *   npm run bench -- backfill/search-scale            # 20k and 50k measured, 100k, 1M and 10M estimated
 *   npm run bench -- backfill/search-scale --large    # 100k and 1M measured, 10M estimated (hours on a shared 2-core machine)
 *   npm run bench -- backfill/search-scale --sizes 10000,30000 --queries 50
 *
 * Without the control (above --control-max) the exact index is timed on --exact-timed (20) single queries and its
 * answers for all queries, the recall reference, come from one batched exact search.
 *
 * The pre-index control (a copy of every vector plus an exact scan) is measured up to --control-max items (200k):
 * it answers exactly what the exact index answers, so above that only its memory would differ and its scan is the
 * exact index's. The JSON is rewritten after every row, so an interrupted run keeps what it measured.
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

const { values } = parseArgs({ options: {
  large: { type: 'boolean', default: false }, sizes: { type: 'string' }, dim: { type: 'string', default: '512' },
  queries: { type: 'string', default: '200' }, 'control-max': { type: 'string', default: '200000' },
  'exact-timed': { type: 'string', default: '20' },
} });
const dim = Number(values.dim), queryCount = Number(values.queries), K = 10, WAVE = 1000, WAVES = [500, 1000, 2000, 4000];
const sizes = values.sizes ? values.sizes.split(',').map(Number) : values.large ? [100_000, 1_000_000] : [20_000, 50_000];
const controlMax = Number(values['control-max']);
const exactTimed = Number(values['exact-timed']);
const started = performance.now();
const progress = (what: string) => console.error(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${what}`);

interface Row {
  items: number; dim: number; index: string; p50Ms: number; p99Ms: number; recallAt10: number; memoryRatio: number; waveUpdateMs: number;
  buildMs?: number; estimated?: boolean;
  /** Build time of each part (ms) and the waves applied one after the other. */
  partBuildMs?: Record<string, number>; waves?: Array<{ items: number; ms: number }>;
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

async function timeQueries(run: (q: number) => Promise<MergedHit[]> | MergedHit[], count = queryCount): Promise<{ hits: MergedHit[][]; times: number[] }> {
  for (let q = 0; q < Math.min(10, count); q++) await run(q);
  const hits: MergedHit[][] = [], times: number[] = [];
  for (let q = 0; q < count; q++) {
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
const round = (x: number | undefined, d = 3) => (x === undefined || Number.isNaN(x) ? null : +x.toFixed(d));
const rounded = () => rows.map((r) => ({
  ...r, p50Ms: round(r.p50Ms), p99Ms: round(r.p99Ms), recallAt10: round(r.recallAt10, 4), memoryRatio: round(r.memoryRatio, 2),
  waveUpdateMs: round(r.waveUpdateMs, 1), buildMs: round(r.buildMs, 0),
  ...(r.partBuildMs ? { partBuildMs: Object.fromEntries(Object.entries(r.partBuildMs).map(([k, v]) => [k, Math.round(v)])) } : {}),
  ...(r.waves ? { waves: r.waves.map((w) => ({ items: w.items, ms: Math.round(w.ms) })) } : {}),
}));
async function save(): Promise<string> {
  return writeResult('backfill-search-scale', { dim, k: K, queries: queryCount, wave: WAVE, complete: false, rows: rounded() });
}
for (const items of sizes) {
  const { vectors: oldAll, centres: oldCentres } = clusteredUnitVectors({ rows: items, dim, seed: 1 });
  const { vectors: newAll, centres: newCentres } = clusteredUnitVectors({ rows: items, dim, seed: 2 });
  const queries = { psi: clusteredUnitVectors({ rows: queryCount, dim, seed: 3 }, oldCentres).vectors, new: clusteredUnitVectors({ rows: queryCount, dim, seed: 4 }, newCentres).vectors };
  progress(`generated ${items} × ${dim} in two spaces`);
  // Items 0..half-1 are backfilled; the waves take the items after them.
  const half = items / 2;
  const done = Int32Array.from({ length: half }, (_, i) => i);
  const rawBytes = (items + half) * dim * 4;
  let truth: MergedHit[][] | undefined;
  if (items <= controlMax) {
    const control = createBackfillGallery({ features: oldAll }, { features: selectRows(newAll, Array.from(done)), indices: done });
    const exact = await timeQueries((q) => searchBackfillGallery('rt-merge', { new: row1(queries.new, q), psi: row1(queries.psi, q) }, control, K)[0]);
    truth = exact.hits;
    const controlBytes = oldAll.data.byteLength + control.oldRemaining.features.data.byteLength + control.new.features.data.byteLength;
    rows.push({ items, dim, index: 'before: createBackfillGallery', p50Ms: quantile(exact.times, 0.5), p99Ms: quantile(exact.times, 0.99), recallAt10: 1, memoryRatio: controlBytes / rawBytes, waveUpdateMs: NaN });
    await save();
  }

  for (const [name, factory] of [['exact', exactIndexFactory], ['usearch', usearchIndexFactory({ addThreads: 2 })]] as [string, VectorIndexFactory][]) {
    const indexes = await createBackfillIndexes(factory, 'bench', dim, dim);
    const rest = Int32Array.from({ length: items - half }, (_, i) => half + i);
    const partBuildMs: Record<string, number> = {};
    const timed = async (part: string, run: () => Promise<void>) => {
      const t = performance.now();
      await run();
      partBuildMs[part] = performance.now() - t;
      progress(`${name} at ${items}: built ${part} in ${(partBuildMs[part] / 1000).toFixed(1)} s`);
    };
    await timed('oldRemaining', () => indexes.oldRemaining.add(rest, selectRows(oldAll, Array.from(rest))));
    await timed('oldBackfilled', () => indexes.oldBackfilled.add(done, selectRows(oldAll, Array.from(done))));
    await timed('new', () => indexes.new.add(done, selectRows(newAll, Array.from(done))));
    const buildMs = Object.values(partBuildMs).reduce((a, b) => a + b, 0);
    // Above the control's size the exact scan takes seconds per query: it is timed on --exact-timed single queries
    // and the reference answers for every query come from one batched exact search (the same scan, cache-blocked).
    const single = (q: number) => searchBackfillIndexes('rt-merge', { new: row1(queries.new, q), psi: row1(queries.psi, q) }, indexes, K).then((h) => h[0]);
    const got = name === 'exact' && !truth && exactTimed < queryCount
      ? { ...(await timeQueries(single, exactTimed)), hits: await searchBackfillIndexes('rt-merge', { new: queries.new, psi: queries.psi }, indexes, K) }
      : await timeQueries(single);
    truth ??= got.hits; // the exact index runs first: without the control it is the reference
    const memoryRatio = (await memoryOf(indexes)) / rawBytes;
    const waves: Array<{ items: number; ms: number }> = [];
    let from = half;
    for (const size of WAVES) {
      if (from + size > items) break; // a gallery too small for every wave (only in quick runs)
      const wave = Int32Array.from({ length: size }, (_, i) => from + i);
      from += size;
      const t1 = performance.now();
      await applyBackfillWave(indexes, wave, selectRows(oldAll, Array.from(wave)), selectRows(newAll, Array.from(wave)));
      waves.push({ items: size, ms: performance.now() - t1 });
    }
    const waveUpdateMs = waves.find((w) => w.items === WAVE)?.ms ?? NaN;
    rows.push({ items, dim, index: name, p50Ms: quantile(got.times, 0.5), p99Ms: quantile(got.times, 0.99), recallAt10: recall(got.hits, truth), memoryRatio, waveUpdateMs, buildMs, partBuildMs, waves });
    progress(`measured ${name} at ${items}: p50 ${quantile(got.times, 0.5).toFixed(2)} ms, recall ${recall(got.hits, truth).toFixed(4)}, waves ${waves.map((w) => `${w.items}: ${(w.ms / 1000).toFixed(2)} s`).join(', ')}`);
    await save();
  }
}

// Estimates for the sizes not measured, from the two largest measured sizes.
const measured = [...sizes].sort((a, b) => a - b).slice(-2);
for (const target of values.large ? [10_000_000] : [100_000, 1_000_000, 10_000_000]) {
  for (const index of ['before: createBackfillGallery', 'exact', 'usearch']) {
    const [a, b] = measured.map((n) => rows.find((r) => r.items === n && r.index === index));
    if (!a || !b) continue;
    const grow = (x: number, y: number) => index === 'usearch'
      ? Math.max(y, y + ((y - x) * Math.log(target / b.items)) / Math.log(b.items / a.items))
      : Math.max(y, y + ((y - x) * (target - b.items)) / (b.items - a.items));
    rows.push({ ...b, items: target, p50Ms: grow(a.p50Ms, b.p50Ms), p99Ms: grow(a.p99Ms, b.p99Ms), buildMs: b.buildMs === undefined ? undefined : (b.buildMs * target) / b.items, estimated: true });
  }
}

const out = rounded();
console.log(`rt-merge search, clustered unit vectors × ${dim}, half backfilled, ${queryCount} single queries, k=${K}, wave of ${WAVE} items`);
console.table(out.map(({ partBuildMs, waves, ...r }) => ({ ...r, waves: waves?.map((w) => `${w.items}:${w.ms}`).join(' ') })));
console.log(`wrote ${await writeResult('backfill-search-scale', { dim, k: K, queries: queryCount, wave: WAVE, complete: true, rows: out })}`);
