import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadBuiltinDataset } from '../../core/backfill/datasets/builtin.ts';
import { FASHION_MNIST_CLASSES } from '../../core/backfill/datasets/fashion-mnist.ts';
import { subsetImages } from '../../core/backfill/datasets/image-set.ts';
import { splitImageSet } from '../../core/backfill/datasets/split.ts';
import { backfillOrder } from '../../core/backfill/eval/backfill-order.ts';
import { evaluateBackfill } from '../../core/backfill/eval/evaluate-backfill.ts';
import type { FeatureMatrix } from '../../core/backfill/features.ts';
import { addGalleryItems } from '../../core/backfill/gallery/changes/add-items.ts';
import { readChangeLog } from '../../core/backfill/gallery/changes/change-log.ts';
import { galleryMembership } from '../../core/backfill/gallery/changes/membership.ts';
import { readGalleryFeaturesNow, readLabelledQueries } from '../../core/backfill/gallery/gallery-features-now.ts';
import { readGalleryRecord } from '../../core/backfill/gallery/gallery-record.ts';
import { readGalleryState } from '../../core/backfill/gallery/gallery-state.ts';
import { ingestGallery } from '../../core/backfill/gallery/ingest.ts';
import { readPsiFit } from '../../core/backfill/gallery/psi-fit.ts';
import { loadConfig } from '../../core/config/config.ts';
import { silentLogger } from '../../core/log.ts';
import { meanInterval } from '../../core/stats/mean-interval.ts';
import type { Store } from '../../core/store/store.ts';
import { createLocalRuntime } from '../../workflows/local-runtime.ts';
import { writeResult } from './table.ts';

// Does the online ψ get better when items added during the backfill join its training pairs? Per seed, two
// Fashion-MNIST galleries identical but for `psiFromAdds` (same items, same order seed, same adds): ingest G items
// (online ψ), backfill `--shards` shards, add A gallery-split images that were not ingested (embedded with both models),
// backfill one more shard (ψ refitted, with or without the added pairs). Measured at that moment, on the held-out
// queries: the served rt-merge mAP (the gallery as it stands, ψ as committed) and mean cos(ψ(q_new), q_old).
// Paired differences with − without over the seeds, 95% t intervals.
//   node bench/backfill-pipeline/psi-from-adds.ts [--seeds 5] [--items 4000] [--shard-size 250] [--shards 1] [--adds 250,1000]
const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '5' }, items: { type: 'string', default: '4000' }, 'shard-size': { type: 'string', default: '250' },
    shards: { type: 'string', default: '1' }, adds: { type: 'string', default: '250,1000' }, queries: { type: 'string', default: '1400' },
  },
});
const seeds = Number(values.seeds), items = Number(values.items), shardSize = Number(values['shard-size']), firstShards = Number(values.shards);
const addCounts = values.adds.split(',').map(Number), maxQueries = Number(values.queries);

const root = path.join(os.tmpdir(), `reverie-bench-psi-adds-${process.pid}`);
const runtime = createLocalRuntime(loadConfig({ REVERIE_STORE: `file://${root}` }), { log: silentLogger });
const { store } = runtime;
const engine = await runtime.engine();
const images = await loadBuiltinDataset('fashion-mnist');
const galleryIndices = splitImageSet(images).gallery;

const backfill = async (gallery: string, input: Record<string, unknown>) => {
  const done = await engine.wait((await engine.start('backfill', { gallery, refitEvery: 1, ...input })).id);
  if (done.status !== 'SUCCEEDED') throw new Error(`backfill ${gallery}: ${done.status} ${JSON.stringify(done.error)}`);
};

/** The served rt-merge mAP now (backfilled shards and adds in the new space, ψ as committed) and ψ's query cosine. */
async function servedQuality(storeNow: Store, gallery: string) {
  const record = await readGalleryRecord(storeNow, gallery);
  const state = await readGalleryState(storeNow, gallery);
  if (state?.psi.source !== 'online') throw new Error(`${gallery}: no online ψ`);
  const psi = await readPsiFit(storeNow, record, state.psi.batch, 'served');
  const membership = galleryMembership(record, await readChangeLog(storeNow, gallery));
  const features = await readGalleryFeaturesNow(storeNow, record, membership);
  const queries = await readLabelledQueries(storeNow, record, { maxQueries });
  // Rows are in index order: shards, then adds. Backfilled: the first `firstShards + 1` shards and every add.
  const n = features.old.rows, shardRows = Math.min(record.items, (firstShards + 1) * shardSize);
  const order = Uint32Array.from([...range(0, shardRows), ...range(record.items, n), ...range(shardRows, record.items)]);
  const psiQueries = psi.applySync(queries.new);
  const report = evaluateBackfill({ gallery: features, queries, order, fractions: [features.backfilled / n], psiPerFraction: { served: [psiQueries] } });
  if (Math.round((features.backfilled / n) * n) !== features.backfilled) throw new Error('fraction does not round to the backfilled count');
  return {
    psi: state.psi, servedMap: report.modes.served.curve[0][1], rankMergeMap: report.modes['rank-merge'].curve[0][1],
    oldMap: report.mAP.old, newMap: report.mAP.new, queryCosine: meanCosine(psiQueries, queries.old), backfilled: features.backfilled, size: n,
  };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

function meanCosine(a: FeatureMatrix, b: FeatureMatrix): number {
  let total = 0;
  for (let r = 0; r < a.rows; r++) {
    let dot = 0;
    for (let j = 0; j < a.dim; j++) dot += a.data[r * a.dim + j] * b.data[r * b.dim + j];
    total += dot; // both unit length
  }
  return total / a.rows;
}

const rows: Record<string, unknown>[] = [];
try {
  for (const adds of addCounts) {
    for (let seed = 1; seed <= seeds; seed++) {
      // The ingest takes the first `items` of this seeded order of the gallery split; the adds are the next ones.
      const order = backfillOrder(galleryIndices.length, seed);
      const picked = Array.from(order.subarray(items, items + adds), (i) => galleryIndices[i]);
      const part = subsetImages(images, picked);
      const toAdd = { images: { ...part, ids: picked.map((i) => `add/${i}`) }, classNames: Array.from(part.labels, (l) => FASHION_MNIST_CLASSES[l]) };
      const result: Record<string, Awaited<ReturnType<typeof servedQuality>>> = {};
      for (const variant of ['with', 'without'] as const) {
        const gallery = `fm-${adds}-${seed}-${variant}`;
        await ingestGallery(store, { dataset: 'fashion-mnist', galleryId: gallery, maxItems: items, shardSize, orderSeed: seed, maxQueries, models: { psi: 'online' } });
        await backfill(gallery, { maxShards: firstShards });
        await addGalleryItems(store, gallery, toAdd);
        await backfill(gallery, { maxShards: 1, psiFromAdds: variant === 'with' });
        result[variant] = await servedQuality(store, gallery);
      }
      const row = {
        adds, seed, pairs: { with: result.with.psi.source === 'online' ? result.with.psi.pairs : 0, without: result.without.psi.source === 'online' ? result.without.psi.pairs : 0 },
        servedMap: { with: result.with.servedMap, without: result.without.servedMap }, queryCosine: { with: result.with.queryCosine, without: result.without.queryCosine },
        rankMergeMap: result.with.rankMergeMap, oldMap: result.with.oldMap, newMap: result.with.newMap, backfilled: result.with.backfilled, size: result.with.size,
      };
      rows.push(row);
      console.log(`adds ${adds} seed ${seed}: pairs ${row.pairs.with} vs ${row.pairs.without}; served rt-merge mAP ${row.servedMap.with.toFixed(4)} vs ${row.servedMap.without.toFixed(4)}; ` +
        `ψ query cos ${row.queryCosine.with.toFixed(4)} vs ${row.queryCosine.without.toFixed(4)} (old ${row.oldMap.toFixed(4)}, new ${row.newMap.toFixed(4)}, rank-merge ${row.rankMergeMap.toFixed(4)}, ${row.backfilled}/${row.size} backfilled)`);
    }
  }
} finally {
  await rm(root, { recursive: true, force: true });
}

type Row = { adds: number; servedMap: { with: number; without: number }; queryCosine: { with: number; without: number }; pairs: { with: number; without: number } };
const summary = addCounts.map((adds) => {
  const mine = rows.filter((r) => r.adds === adds) as Row[];
  const diff = (pick: (r: Row) => { with: number; without: number }) => meanInterval(mine.map((r) => pick(r).with - pick(r).without));
  return {
    adds, seeds: mine.length, pairsWith: mine[0]?.pairs.with, pairsWithout: mine[0]?.pairs.without,
    servedMapWith: meanInterval(mine.map((r) => r.servedMap.with)), servedMapWithout: meanInterval(mine.map((r) => r.servedMap.without)),
    servedMapDiff: diff((r) => r.servedMap), queryCosineDiff: diff((r) => r.queryCosine),
  };
});
console.log(`\nFashion-MNIST, ${items} items in shards of ${shardSize}, ${firstShards} + 1 shards backfilled, ${seeds} seeds; paired with − without, mean [95% CI]`);
console.log('adds   pairs w/wo     rt-merge mAP with   without    diff [95% CI]                 ψ query cos diff [95% CI]');
for (const s of summary) {
  const ci = (m: { mean: number; ci95: readonly [number, number] }) => `${m.mean >= 0 ? '+' : ''}${m.mean.toFixed(4)} [${m.ci95[0].toFixed(4)}, ${m.ci95[1].toFixed(4)}]`;
  console.log(`${String(s.adds).padEnd(6)} ${`${s.pairsWith}/${s.pairsWithout}`.padEnd(14)} ${s.servedMapWith.mean.toFixed(4).padEnd(19)} ${s.servedMapWithout.mean.toFixed(4).padEnd(10)} ${ci(s.servedMapDiff).padEnd(29)} ${ci(s.queryCosineDiff)}`);
}
console.log(`written to ${await writeResult('psi-from-adds', { items, shardSize, firstShards, seeds, maxQueries, rows, summary })}`);
