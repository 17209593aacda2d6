/**
 * Re-embedding throughput of a photo gallery: `node bench/backfill-photos/embed-throughput.ts [--images 2000]
 * [--min-side 200] [--max-side 1200] [--seed 2026] [--rounds 3] [--shard-size 500] [--workers 1,2] [--in-flight 4]`.
 * Generates seeded JPEGs of mixed sizes (cached in the temp folder), ingests them as a streamed gallery with the
 * project's photo model pair, then times, interleaved round by round after a warm-up round, on the same images with
 * the new model (batch 64, one onnxruntime thread):
 *   (a) the bare pipeline — read the file, the same decode + preprocessing (`preprocessImage`), a bare onnxruntime
 *       session; one process, no store, no hashes, no workflow — one image at a time, and with `--in-flight` decodes
 *       running on sharp's threads while the model runs (its best single-process form);
 *   (b) the backfill's shard step (`embedShard`: read shard, re-read and hash every source, decode, embed, write
 *       `.npy`, commit) with no decode workers, as before the pool;
 *   (c) the same step with `--workers` decode worker threads.
 * Ratios are per round against the best bare variant of that round (median, min–max, mean with a 95% interval).
 */
import { access, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readGalleryRecord } from '../../core/backfill/gallery/gallery-record.ts';
import { readShardItems } from '../../core/backfill/gallery/image-shard.ts';
import { galleryKeys, ShardKind } from '../../core/backfill/gallery/keys.ts';
import { ingestPhotoGallery } from '../../core/backfill/gallery/stream-ingest.ts';
import { preprocessImage } from '../../core/backfill/images/preprocess.ts';
import { loadModelCard } from '../../core/backfill/models/model-card.ts';
import { embedShard } from '../../core/backfill/pipeline/embed-shard.ts';
import { loadOnnxRuntime } from '../../core/onnx-runtime.ts';
import { meanInterval } from '../../core/stats/mean-interval.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { writePhotoFolder } from '../../test/fixtures/photo-set.ts';
import { median, writeResult } from '../backfill-pipeline/table.ts';
import { interleavedRounds } from './interleaved-rounds.ts';

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '2000' }, 'min-side': { type: 'string', default: '200' }, 'max-side': { type: 'string', default: '1200' },
    seed: { type: 'string', default: '2026' }, rounds: { type: 'string', default: '3' }, 'shard-size': { type: 'string', default: '500' },
    workers: { type: 'string', default: '1,2' }, 'in-flight': { type: 'string', default: '4' },
  },
});
const [count, minSide, maxSide, seed, rounds, shardSize, inFlight] = ['images', 'min-side', 'max-side', 'seed', 'rounds', 'shard-size', 'in-flight']
  .map((k) => Number(values[k as keyof typeof values]));
const workerCounts = values.workers.split(',').map(Number);
const BATCH = 64;
const MODELS = path.resolve(import.meta.dirname, '../../models/photos');

const photos = path.join(os.tmpdir(), `reverie-bench-jpegs-${count}-${minSide}-${maxSide}-${seed}`);
if (!(await access(path.join(photos, '.done')).then(() => true, () => false))) {
  console.log(`generating ${count} JPEGs of ${minSide}–${maxSide} px (seed ${seed}) in ${photos} …`);
  await writePhotoFolder(photos, { count, seed, minSide, maxSide, formats: ['jpg'] });
  await writeFile(path.join(photos, '.done'), '');
}
const root = path.join(os.tmpdir(), `reverie-bench-photo-embed-${process.pid}`);
const store = new FileStore(root);
console.log('ingesting (old model) …');
await ingestPhotoGallery(store, { dataset: photos, galleryId: 'photos', oldCard: path.join(MODELS, 'old.card.json'), newCard: path.join(MODELS, 'new.card.json'), shardSize, queryFraction: 0.01 });
const record = await readGalleryRecord(store, 'photos');
const shards = Math.ceil(record.items / record.shardSize);
const sourceIds: string[] = [];
for (let s = 0; s < shards; s++) sourceIds.push(...(await readShardItems(store, galleryKeys('photos').shard(ShardKind.images, s))).sourceIds);
const images = sourceIds.length;

const card = await loadModelCard(path.join(MODELS, 'new.card.json'));
const ort = loadOnnxRuntime();
// The session options CardEmbedder uses, one thread as the shard step is given.
const session = await ort.InferenceSession.create(card.modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
const size = card.channels * card.input.height * card.input.width;

async function decodeBatch(start: number, lanes: number): Promise<Float32Array> {
  const ids = sourceIds.slice(start, start + BATCH);
  const out = new Float32Array(ids.length * size);
  let next = 0;
  await Promise.all(Array.from({ length: lanes }, async () => {
    for (let i = next++; i < ids.length; i = next++) {
      out.set(await preprocessImage(await readFile(path.join(photos, ids[i])), card, ids[i]) as Float32Array, i * size);
    }
  }));
  return out;
}
const bare = (lanes: number, ahead: boolean) => async () => {
  let pending = ahead ? decodeBatch(0, lanes) : undefined;
  for (let start = 0; start < images; start += BATCH) {
    const data = await (pending ?? decodeBatch(start, lanes));
    // Ahead: the next batch decodes on sharp's threads while this one runs (onnxruntime holds the JS thread).
    pending = ahead && start + BATCH < images ? decodeBatch(start + BATCH, lanes) : undefined;
    const n = data.length / size;
    (await session.run({ image: new ort.Tensor('float32', data, [n, card.channels, card.input.height, card.input.width]) })).embedding.dispose();
  }
};
const step = (decodeWorkers: number) => async () => {
  await rm(path.join(root, galleryKeys('photos').shards('new')), { recursive: true, force: true });
  for (let s = 0; s < shards; s++) {
    await embedShard(store, { gallery: 'photos', shard: s, executionId: 'bench', batchSize: BATCH, intraOpNumThreads: 1 }, { decodeWorkers });
  }
};

const variants = [
  { what: 'bare pipeline, one image at a time', bare: true, run: bare(1, false) },
  { what: `bare pipeline, ${inFlight} decodes in flight, next batch decoding during inference`, bare: true, run: bare(inFlight, true) },
  { what: 'shard step, no decode workers (before the pool)', bare: false, run: step(0) },
  ...workerCounts.map((w) => ({ what: `shard step, ${w} decode worker${w > 1 ? 's' : ''} (4 images in flight each)`, bare: false, run: step(w) })),
];
const { seconds, load } = await interleavedRounds(variants, rounds);
await session.release();
await rm(root, { recursive: true, force: true });

const bareIndex = variants.map((v, i) => ({ v, i })).filter(({ v }) => v.bare).sort((a, b) => median(seconds[a.i]) - median(seconds[b.i]))[0].i;
const rows = variants.map((v, i) => {
  const ratios = seconds[i].map((s, r) => seconds[bareIndex][r] / s);
  const interval = meanInterval(ratios);
  return {
    what: v.what,
    imagesPerSecond: Math.round(images / median(seconds[i])),
    vsBestBare: +median(ratios).toFixed(2),
    range: `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`,
    meanCi95: `${interval.mean.toFixed(2)} [${interval.ci95[0].toFixed(2)}, ${interval.ci95[1].toFixed(2)}]`,
  };
});
console.log(`re-embedding ${images} JPEGs (${minSide}–${maxSide} px, seed ${seed}) with models/photos/new (48×48 BGR), batch ${BATCH}, 1 onnxruntime thread, ${rounds} interleaved rounds, load average ${load.map((l) => l.toFixed(1)).join('/')}:`);
console.table(rows);
console.log(`ratios are per round against "${variants[bareIndex].what}" (the faster bare variant by median).`);
console.log(`wrote ${await writeResult('backfill-photos-embed-throughput', {
  images, minSide, maxSide, seed, batchSize: BATCH, threads: 1, shardSize, rounds, cores: os.availableParallelism(), loadAverage: load, bestBare: variants[bareIndex].what, rows,
  seconds: Object.fromEntries(variants.map((v, i) => [v.what, seconds[i]])),
})}`);
