import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadBuiltinDataset } from '../../core/backfill/datasets/builtin.ts';
import { FASHION_MNIST_CLASSES } from '../../core/backfill/datasets/fashion-mnist.ts';
import { subsetImages } from '../../core/backfill/datasets/image-set.ts';
import { splitImageSet } from '../../core/backfill/datasets/split.ts';
import { addGalleryItems } from '../../core/backfill/gallery/changes/add-items.ts';
import { deleteGalleryItems } from '../../core/backfill/gallery/changes/delete-items.ts';
import { readGalleryStatus } from '../../core/backfill/gallery/gallery-status.ts';
import { ingestGallery } from '../../core/backfill/gallery/ingest.ts';
import { galleryItemId } from '../../core/backfill/gallery/keys.ts';
import { cachedGallery, clearGalleryCache } from '../../core/backfill/gallery/search/gallery-cache.ts';
import { loadConfig } from '../../core/config/config.ts';
import { silentLogger } from '../../core/log.ts';
import { createLocalRuntime } from '../../workflows/local-runtime.ts';
import { median, writeResult } from './table.ts';

// What a change to a gallery costs mid-backfill (Fashion-MNIST gallery, 19,600 items, half backfilled, exact index):
// committing an add (embedding with both models) and a delete, and the search cache's refresh that applies each,
// against a cold load of the same gallery. Repetitions interleave the measurements; each uses fresh items.
//   node bench/backfill-pipeline/gallery-changes.ts [--reps 5] [--add 200] [--delete 196]
const { values } = parseArgs({ options: { reps: { type: 'string', default: '5' }, add: { type: 'string', default: '200' }, delete: { type: 'string', default: '196' } } });
const reps = Number(values.reps), addCount = Number(values.add), deleteCount = Number(values.delete);

const root = path.join(os.tmpdir(), `reverie-bench-changes-${process.pid}`);
const runtime = createLocalRuntime(loadConfig({ REVERIE_STORE: `file://${root}` }), { log: silentLogger });
const { store } = runtime;
const gallery = 'fm';
const ingest = await ingestGallery(store, { dataset: 'fashion-mnist', galleryId: gallery, shardSize: 1000, maxQueries: 100 });
const engine = await runtime.engine();
await engine.wait((await engine.start('backfill', { gallery, maxShards: Math.round(ingest.shards / 2) })).id);
const images = await loadBuiltinDataset('fashion-mnist');
const spare = splitImageSet(images).train;

const time = async <T>(run: () => Promise<T>): Promise<[number, T]> => {
  const start = performance.now();
  const out = await run();
  return [performance.now() - start, out];
};
const rows: Record<string, number[]> = { coldLoadMs: [], addMs: [], refreshAfterAddMs: [], deleteMs: [], refreshAfterDeleteMs: [] };
await cachedGallery(store, gallery, { refreshMs: 0 });
for (let r = 0; r < reps; r++) {
  const picked = Array.from(spare.subarray(r * addCount, (r + 1) * addCount));
  const part = subsetImages(images, picked);
  const items = { images: { ...part, ids: picked.map((i) => `bench/${r}/${i}`) }, classNames: Array.from(part.labels, (l) => FASHION_MNIST_CLASSES[l]) };
  const [addMs] = await time(() => addGalleryItems(store, gallery, items));
  const [refreshAfterAddMs] = await time(() => cachedGallery(store, gallery, { refreshMs: 0 }));
  const ids = Array.from({ length: deleteCount }, (_, i) => galleryItemId((i * reps + r) * 7));
  const [deleteMs] = await time(() => deleteGalleryItems(store, gallery, ids));
  const [refreshAfterDeleteMs] = await time(() => cachedGallery(store, gallery, { refreshMs: 0 }));
  clearGalleryCache();
  const [coldLoadMs] = await time(() => cachedGallery(store, gallery, { refreshMs: 0 }));
  Object.entries({ coldLoadMs, addMs, refreshAfterAddMs, deleteMs, refreshAfterDeleteMs }).forEach(([k, v]) => rows[k].push(v));
}
const status = await readGalleryStatus(store, gallery);
const summary = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, { median: median(v), min: Math.min(...v), max: Math.max(...v) }]));
console.log(`gallery ${gallery}: ${ingest.items} ingested, ${status.changes.added} added, ${status.changes.deleted} deleted, ${(100 * status.backfilledFraction).toFixed(0)}% backfilled; ${reps} reps`);
console.log('measurement              median ms     min ms     max ms');
for (const [k, s] of Object.entries(summary)) console.log(`${k.padEnd(24)} ${s.median.toFixed(1).padStart(9)} ${s.min.toFixed(1).padStart(10)} ${s.max.toFixed(1).padStart(10)}`);
const ratio = (k: string) => median(rows[k].map((v, i) => v / rows.coldLoadMs[i]));
console.log(`refresh / cold load (median of per-rep ratios): after an add of ${addCount} ${ratio('refreshAfterAddMs').toFixed(3)}, after a delete of ${deleteCount} ${ratio('refreshAfterDeleteMs').toFixed(3)}`);
console.log(`wrote ${await writeResult('backfill-pipeline-gallery-changes', {
  gallery: { ingested: ingest.items, shardSize: 1000, backfilledShards: Math.round(ingest.shards / 2) }, reps, addCount, deleteCount, status: status.items,
  rows, summary, refreshOverColdLoad: { add: ratio('refreshAfterAddMs'), delete: ratio('refreshAfterDeleteMs') },
})}`);
await rm(root, { recursive: true, force: true });
