/**
 * Does a backfill wave cost its own size or the gallery's? Two sweeps on clustered unit vectors, half backfilled,
 * each index kind: waves of 250 … 4,000 items on a fixed gallery, and a fixed wave of 1,000 items on galleries of
 * growing size. A wave is what a committed shard does to the indexes (`applyBackfillWave`: add to `new` and
 * `oldBackfilled`, remove from `oldRemaining`), timed in parts. Each wave is applied after a warm-up wave, so the
 * one-off growth of an index's storage after its build is not charged to it (it is reported as `firstWaveMs`).
 * Per row the median of --repeats waves (disjoint items; the kinds' waves interleaved), ms per item, and the range. `usearch-id-keys` is usearch
 * with item ids as its keys, as stored before `usearch-keys.ts` (its removal scanned the gallery), for the comparison
 * in one run. `serializeMs` is one serialization of the three indexes after the waves: what a snapshot to the store
 * costs (`writeIndexSnapshot`, written once a tenth of the gallery changed, not per wave).
 *
 *   npm run bench -- backfill/wave-cost                       # 128 dims: waves at 40k, galleries 10k–160k
 *   npm run bench -- backfill/wave-cost --dim 512 --gallery 20000 --galleries 5000,20000,80000
 *   npm run bench -- backfill/wave-cost --kinds usearch,usearch-id-keys --waves 1000 --galleries 10000,30000,90000
 */
import { parseArgs } from 'node:util';
import { clusteredUnitVectors } from '../../core/backfill/datasets/clustered-vectors.ts';
import { selectRows } from '../../core/backfill/features.ts';
import { createBackfillIndexes, type BackfillIndexes } from '../../core/backfill/search/index/backfill-indexes.ts';
import { exactIndexFactory } from '../../core/backfill/search/index/exact-index.ts';
import { usearchIndexFactory } from '../../core/backfill/search/index/usearch-index.ts';
import { UsearchKeyCodec } from '../../core/backfill/search/index/usearch-keys.ts';
import type { VectorIndexFactory } from '../../core/backfill/search/index/vector-index.ts';
import { median, writeResult } from '../backfill-pipeline/table.ts';

const { values } = parseArgs({ options: {
  dim: { type: 'string', default: '128' }, gallery: { type: 'string', default: '40000' }, galleries: { type: 'string', default: '10000,40000,160000' },
  waves: { type: 'string', default: '250,1000,4000' }, kinds: { type: 'string', default: 'exact,usearch,usearch-id-keys' }, wave: { type: 'string', default: '1000' }, repeats: { type: 'string', default: '3' },
} });
const dim = Number(values.dim), repeats = Number(values.repeats);
const allKinds: Record<string, VectorIndexFactory> = {
  exact: exactIndexFactory, usearch: usearchIndexFactory({ addThreads: 2 }),
  'usearch-id-keys': usearchIndexFactory({ addThreads: 2, keyCodec: UsearchKeyCodec.identity }),
};
const kinds = values.kinds.split(',').map((k): [string, VectorIndexFactory] => {
  if (!allKinds[k]) throw new Error(`unknown index kind "${k}"; one of ${Object.keys(allKinds).join(', ')}`);
  return [k, allKinds[k]];
});

interface Row { sweep: string; index: string; items: number; wave: number; waveMs: number; minMs: number; maxMs: number; msPerItem: number; parts: Record<string, number>; firstWaveMs: number; serializeMs: number; serializedMB: number }
const rows: Row[] = [];

async function measure(sweep: string, items: number, waves: readonly number[]): Promise<void> {
  const old = clusteredUnitVectors({ rows: items, dim, seed: 1 }).vectors;
  const fresh = clusteredUnitVectors({ rows: items, dim, seed: 2 }).vectors;
  const half = Math.floor(items / 2);
  const need = 1000 + waves.reduce((a, b) => a + b, 0) * repeats;
  if (half + need > items) throw new Error(`a gallery of ${items} items is too small for these waves (${need} items past the half)`);
  // Every kind's indexes are built first and their waves interleaved (repeat r of each kind, then r + 1), so that
  // the machine's load over the run reaches every kind alike.
  const built: Array<{ name: string; indexes: BackfillIndexes; next: number; firstWaveMs: number }> = [];
  for (const [name, factory] of kinds) {
    const indexes = await createBackfillIndexes(factory, 'bench', dim, dim);
    const rest = Array.from({ length: items - half }, (_, i) => half + i), done = Array.from({ length: half }, (_, i) => i);
    await indexes.oldRemaining.add(Int32Array.from(rest), selectRows(old, rest));
    await indexes.oldBackfilled.add(Int32Array.from(done), selectRows(old, done));
    await indexes.new.add(Int32Array.from(done), selectRows(fresh, done));
    built.push({ name, indexes, next: half, firstWaveMs: 0 });
  }
  const wave = async (kind: (typeof built)[number], size: number) => {
    const ids = Array.from({ length: size }, (_, i) => kind.next + i);
    kind.next += size;
    return timedWave(kind.indexes, ids, old, fresh);
  };
  for (const kind of built) kind.firstWaveMs = (await wave(kind, 1000)).total;
  for (const size of waves) {
    const runs = new Map(built.map((kind) => [kind, [] as Array<Awaited<ReturnType<typeof timedWave>>>]));
    for (let r = 0; r < repeats; r++) for (const kind of built) runs.get(kind)!.push(await wave(kind, size));
    for (const kind of built) {
      const mine = runs.get(kind)!, totals = mine.map((x) => x.total);
      const parts = Object.fromEntries(Object.keys(mine[0].parts).map((p) => [p, +median(mine.map((x) => x.parts[p])).toFixed(1)]));
      const waveMs = median(totals);
      rows.push({ sweep, index: kind.name, items, wave: size, waveMs: +waveMs.toFixed(1), minMs: +Math.min(...totals).toFixed(1), maxMs: +Math.max(...totals).toFixed(1), msPerItem: +(waveMs / size).toFixed(3), parts, firstWaveMs: +kind.firstWaveMs.toFixed(1), serializeMs: 0, serializedMB: 0 });
      console.error(`${sweep}: ${kind.name} at ${items}, wave ${size}: ${waveMs.toFixed(0)} ms`);
    }
  }
  for (const { name, indexes } of built) {
    const t = performance.now();
    const bytes = await Promise.all([indexes.oldRemaining.serialize(), indexes.oldBackfilled.serialize(), indexes.new.serialize()]);
    const serializeMs = +(performance.now() - t).toFixed(1);
    const serializedMB = +(bytes.reduce((a, b) => a + (b?.byteLength ?? 0), 0) / 2 ** 20).toFixed(1);
    for (const row of rows) if (row.sweep === sweep && row.index === name && row.items === items) Object.assign(row, { serializeMs, serializedMB });
  }
}

async function timedWave(indexes: BackfillIndexes, ids: number[], old: ReturnType<typeof clusteredUnitVectors>['vectors'], fresh: typeof old) {
  const key = Int32Array.from(ids);
  const oldRows = selectRows(old, ids), newRows = selectRows(fresh, ids);
  const parts: Record<string, number> = {};
  const time = async (part: string, run: () => Promise<void>) => {
    const t = performance.now();
    await run();
    parts[part] = performance.now() - t;
  };
  // The steps of applyBackfillWave, in its order.
  await time('addNew', () => indexes.new.add(key, newRows));
  await time('addOldBackfilled', () => indexes.oldBackfilled.add(key, oldRows));
  await time('removeOldRemaining', () => indexes.oldRemaining.remove(key));
  return { total: Object.values(parts).reduce((a, b) => a + b, 0), parts };
}

const waveSizes = values.waves.split(',').map(Number);
await measure('wave size at a fixed gallery', Number(values.gallery), waveSizes);
for (const items of values.galleries.split(',').map(Number)) await measure('gallery size at a fixed wave', items, [Number(values.wave)]);

console.log(`backfill wave cost, clustered unit vectors × ${dim}, half backfilled, median of ${repeats} waves`);
console.table(rows.map(({ parts, ...r }) => ({ ...r, ...parts })));
console.log(`wrote ${await writeResult('backfill-wave-cost', { dim, repeats, rows })}`);
