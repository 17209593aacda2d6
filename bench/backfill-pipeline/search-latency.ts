import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLocalRuntime } from '../../workflows/local-runtime.ts';
import { selectRows, type FeatureMatrix } from '../../core/backfill/features.ts';
import { ingestGallery } from '../../core/backfill/gallery/ingest.ts';
import { loadGalleryEmbedder } from '../../core/backfill/gallery/gallery-models.ts';
import { readItemImage } from '../../core/backfill/gallery/search/item-pixels.ts';
import { cachedGallery } from '../../core/backfill/gallery/search/gallery-cache.ts';
import { searchGallery } from '../../core/backfill/gallery/search/search-gallery.ts';
import { searchBackfillIndexes } from '../../core/backfill/search/index/index-merged-search.ts';
import { SearchMode } from '../../core/backfill/search/search-mode.ts';
import { loadConfig } from '../../core/config/config.ts';
import { silentLogger } from '../../core/log.ts';
import { quantile, writeResult } from './table.ts';

// Search latency over the full 70,000-image Fashion-MNIST gallery (--split all), half backfilled through the workflow:
// single-space exact search against each merge mode, one query at a time, variants interleaved query by query.
// Two levels: the search itself over the loaded gallery (query features ready), and the whole service call
// (`searchGallery`: cache check, query image, query embedding, search), whose single-space baseline is mode `old`.
//   node bench/backfill-pipeline/search-latency.ts [--queries 300] [--k 10] [--fraction 0.5]
const { values } = parseArgs({ options: { queries: { type: 'string', default: '300' }, k: { type: 'string', default: '10' }, fraction: { type: 'string', default: '0.5' } } });
const queries = Number(values.queries), k = Number(values.k), fraction = Number(values.fraction);

const root = path.join(os.tmpdir(), `reverie-bench-search-${process.pid}`);
const runtime = createLocalRuntime(loadConfig({ REVERIE_STORE: `file://${root}` }), { log: silentLogger });
const { store } = runtime;
const gallery = 'fm-all';
const ingest = await ingestGallery(store, { dataset: 'fashion-mnist', split: 'all', galleryId: gallery, shardSize: 1000, maxQueries: queries });
const engine = await runtime.engine();
await engine.wait((await engine.start('backfill', { gallery, maxShards: Math.round(ingest.shards * fraction) })).id);

const loaded = await cachedGallery(store, gallery);
const ids = Array.from({ length: queries }, (_, i) => `q-${String(i).padStart(5, '0')}`);
const images = await Promise.all(ids.map((_, index) => readItemImage(store, loaded.record, { part: 'query', index })));
const embedAll = async (role: 'old' | 'new') => {
  const embedder = await loadGalleryEmbedder(store, loaded.record, role, { batchSize: 256, intraOpNumThreads: 1 });
  return Promise.all(images.map((image) => embedder.embedImages(image)));
};
const qOld = await embedAll('old'), qNew = await embedAll('new');
const qPsi = await Promise.all(qNew.map((q) => loaded.psi!.apply(q)));
const row = (m: FeatureMatrix[], i: number) => selectRows(m[i], [0]);

const merges = [SearchMode.naive, SearchMode.rankMerge, SearchMode.rtMerge];
const variants: { level: string; search: string; run: (i: number) => unknown }[] = [
  { level: 'search', search: 'single space: mode old (exact index)', run: (i) => searchBackfillIndexes(SearchMode.old, { old: row(qOld, i) }, loaded.indexes, k) },
  ...merges.map((mode) => ({
    level: 'search', search: `merged: ${mode}`,
    run: (i: number) => searchBackfillIndexes(mode, { old: row(qOld, i), new: row(qNew, i), psi: row(qPsi, i) }, loaded.indexes, k),
  })),
  ...[SearchMode.old, ...merges].map((mode) => ({
    level: 'service', search: mode === SearchMode.old ? 'single space: mode old (searchGallery)' : `merged: ${mode} (searchGallery)`,
    run: (i: number) => searchGallery(store, gallery, { itemId: ids[i], mode, k }),
  })),
];
for (let i = 0; i < 20; i++) for (const v of variants) await v.run(i);
const times = variants.map(() => [] as number[]);
for (let i = 0; i < queries; i++) {
  for (const [v, variant] of variants.entries()) {
    const t = performance.now();
    await variant.run(i);
    times[v].push(performance.now() - t);
  }
}
await rm(root, { recursive: true, force: true });

const rows = variants.map((v, i) => {
  const base = times[v.level === 'search' ? 0 : variants.findIndex((x) => x.level === 'service')];
  return {
    level: v.level, search: v.search,
    p50Ms: +quantile(times[i], 0.5).toFixed(3), p99Ms: +quantile(times[i], 0.99).toFixed(3),
    vsSingleP50: +(quantile(times[i], 0.5) / quantile(base, 0.5)).toFixed(2), vsSingleP99: +(quantile(times[i], 0.99) / quantile(base, 0.99)).toFixed(2),
  };
});
console.log(`exact top-${k} over the ${loaded.record.items}-image gallery, ${(100 * loaded.backfilledItems / loaded.record.items).toFixed(0)}% backfilled, ${queries} queries, one at a time:`);
console.table(rows);
console.log(`wrote ${await writeResult('backfill-pipeline-search', { gallerySize: loaded.record.items, backfilledFraction: loaded.backfilledItems / loaded.record.items, queries, k, rows })}`);
