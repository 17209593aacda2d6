/**
 * What `--store-tensors` costs and buys: `node bench/backfill-photos/stored-tensors.ts [--images 500] [--min-side 200]
 * [--max-side 1200] [--seed 2026] [--rounds 3] [--shard-size 250] [--workers 1]`.
 * Generates seeded photos (JPEG, PNG and WebP of mixed sizes, cached in the temp folder), ingests them twice as a
 * streamed gallery with the project's photo model pair — shards referencing the source (the default) and with the new
 * card's input tensors stored — then reports the storage per item (source bytes, `tensors.npy`, `items.json`) and
 * times the backfill's shard step (`embedShard` over every shard; new shards removed before each run), interleaved
 * round by round after a warm-up round: from the source with no decode workers, from the source with `--workers`
 * decode workers, and from the stored tensors. Ratios are per round against the source path with no workers (and,
 * last column, with the workers).
 */
import { access, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readGalleryRecord } from '../../core/backfill/gallery/gallery-record.ts';
import { galleryKeys, ShardKind } from '../../core/backfill/gallery/keys.ts';
import { TENSORS_FILE } from '../../core/backfill/gallery/stored-tensors.ts';
import { ingestPhotoGallery } from '../../core/backfill/gallery/stream-ingest.ts';
import { embedShard } from '../../core/backfill/pipeline/embed-shard.ts';
import { readManifest } from '../../core/store/batch.ts';
import { meanInterval } from '../../core/stats/mean-interval.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { writePhotoFolder } from '../../test/fixtures/photo-set.ts';
import { median, writeResult } from '../backfill-pipeline/table.ts';
import { interleavedRounds } from './interleaved-rounds.ts';

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '500' }, 'min-side': { type: 'string', default: '200' }, 'max-side': { type: 'string', default: '1200' },
    seed: { type: 'string', default: '2026' }, rounds: { type: 'string', default: '3' }, 'shard-size': { type: 'string', default: '250' },
    workers: { type: 'string', default: '1' },
  },
});
const [count, minSide, maxSide, seed, rounds, shardSize, workers] = ['images', 'min-side', 'max-side', 'seed', 'rounds', 'shard-size', 'workers']
  .map((k) => Number(values[k as keyof typeof values]));
const MODELS = path.resolve(import.meta.dirname, '../../models/photos');
const cards = { oldCard: path.join(MODELS, 'old.card.json'), newCard: path.join(MODELS, 'new.card.json') };

const photos = path.join(os.tmpdir(), `reverie-bench-photos-mixed-${count}-${minSide}-${maxSide}-${seed}`);
if (!(await access(path.join(photos, '.done')).then(() => true, () => false))) {
  console.log(`generating ${count} photos (JPEG/PNG/WebP, ${minSide}–${maxSide} px, seed ${seed}) in ${photos} …`);
  await writePhotoFolder(photos, { count, seed, minSide, maxSide });
  await writeFile(path.join(photos, '.done'), '');
}
const root = path.join(os.tmpdir(), `reverie-bench-stored-tensors-${process.pid}`);
const store = new FileStore(root);
const ingestSeconds: Record<string, number> = {};
for (const [gallery, storeTensors] of [['refs', false], ['tensors', true]] as const) {
  console.log(`ingesting "${gallery}" (store tensors: ${storeTensors}) …`);
  const t = performance.now();
  await ingestPhotoGallery(store, { dataset: photos, galleryId: gallery, ...cards, shardSize, queryFraction: 0.01, storeTensors });
  ingestSeconds[gallery] = (performance.now() - t) / 1000;
}
const record = await readGalleryRecord(store, 'tensors');
const shards = Math.ceil(record.items / record.shardSize);

/** Bytes of one named object over every gallery shard of `gallery`, from the manifests. */
async function shardBytes(gallery: string, name: string): Promise<number> {
  let total = 0;
  for (let s = 0; s < shards; s++) total += (await readManifest(store, galleryKeys(gallery).shard(ShardKind.images, s)))?.objects.find((o) => o.name === name)?.size ?? 0;
  return total;
}
let sourceBytes = 0, sourceFiles = 0;
for (const e of await readdir(photos, { recursive: true, withFileTypes: true })) {
  if (e.isFile() && /\.(jpe?g|png|webp)$/i.test(e.name)) { sourceBytes += (await stat(path.join(e.parentPath, e.name))).size; sourceFiles++; }
}
const storage = {
  items: record.items,
  sourceBytesPerFile: Math.round(sourceBytes / sourceFiles),
  tensorsBytesPerItem: Math.round((await shardBytes('tensors', TENSORS_FILE)) / record.items),
  itemsJsonBytesPerItem: { refs: Math.round((await shardBytes('refs', 'items.json')) / record.items), tensors: Math.round((await shardBytes('tensors', 'items.json')) / record.items) },
};

const step = (gallery: string, decodeWorkers: number) => async () => {
  await rm(path.join(root, galleryKeys(gallery).shards(ShardKind.new)), { recursive: true, force: true });
  for (let s = 0; s < shards; s++) await embedShard(store, { gallery, shard: s, executionId: 'bench', batchSize: 64, intraOpNumThreads: 1 }, { decodeWorkers });
};
const variants = [
  { what: 'shard step from the source, no decode workers', run: step('refs', 0) },
  { what: `shard step from the source, ${workers} decode worker${workers === 1 ? '' : 's'}`, run: step('refs', workers) },
  { what: 'shard step from stored tensors', run: step('tensors', 0) },
];
const { seconds, load } = await interleavedRounds(variants, rounds, 2);
await rm(root, { recursive: true, force: true });

const rows = variants.map((v, i) => {
  const ratios = seconds[i].map((s, r) => seconds[0][r] / s);
  const interval = meanInterval(ratios);
  return {
    what: v.what, seconds: +median(seconds[i]).toFixed(2), itemsPerSecond: Math.round(record.items / median(seconds[i])),
    speedupVsSource: +median(ratios).toFixed(2), range: `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`,
    meanCi95: `${interval.mean.toFixed(2)} [${interval.ci95[0].toFixed(2)}, ${interval.ci95[1].toFixed(2)}]`,
    speedupVsSourceWithWorkers: +median(seconds[i].map((s, r) => seconds[1][r] / s)).toFixed(2),
  };
});
console.log(`${record.items} gallery items of ${count} photos (seed ${seed}), ${shards} shards of ${shardSize}, models/photos/new (48×48 BGR float32 NCHW):`);
console.table([{
  sourceBytesPerPhoto: storage.sourceBytesPerFile, tensorsNpyBytesPerItem: storage.tensorsBytesPerItem,
  tensorsVsSource: +(storage.tensorsBytesPerItem / storage.sourceBytesPerFile).toFixed(2),
  itemsJsonPerItem: storage.itemsJsonBytesPerItem.refs, ingestSecondsRefs: +ingestSeconds.refs.toFixed(1), ingestSecondsTensors: +ingestSeconds.tensors.toFixed(1),
}]);
console.log(`shard step, batch 64, 1 onnxruntime thread, ${rounds} interleaved rounds after a warm-up, load average ${load.map((l) => l.toFixed(1)).join('/')}:`);
console.table(rows);
console.log(`wrote ${await writeResult('backfill-photos-stored-tensors', {
  images: count, minSide, maxSide, seed, shardSize, rounds, workers, cores: os.availableParallelism(), loadAverage: load, storage, ingestSeconds, rows,
  seconds: Object.fromEntries(variants.map((v, i) => [v.what, seconds[i]])),
})}`);
