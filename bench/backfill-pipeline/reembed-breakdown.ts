import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadBuiltinDataset } from '../../core/backfill/datasets/builtin.ts';
import { imagesToNchw, subsetImages } from '../../core/backfill/datasets/image-set.ts';
import { OnnxEmbedder } from '../../core/backfill/embedder.ts';
import { builtinModelFiles } from '../../core/backfill/eval/evaluate-builtin.ts';
import { withUint8Input } from '../../core/backfill/onnx/uint8-input.ts';
import { ingestGallery } from '../../core/backfill/gallery/ingest.ts';
import { galleryKeys } from '../../core/backfill/gallery/keys.ts';
import { embedShard } from '../../core/backfill/pipeline/embed-shard.ts';
import { loadConfig } from '../../core/config/config.ts';
import { silentLogger } from '../../core/log.ts';
import { loadOnnxRuntime } from '../../core/onnx-runtime.ts';
import { meanInterval } from '../../core/stats/mean-interval.ts';
import { createLocalRuntime } from '../../workflows/local-runtime.ts';
import { interleavedRounds } from '../backfill-photos/interleaved-rounds.ts';
import { writeResult } from './table.ts';

// Where the shard step's time goes against the best bare loop (one reused input buffer), by adding the shard step's
// parts to the bare loop one at a time, all in one interleaved run: several shards' loops at once on one shared
// session, the embedder's per-call work (output copy, normalizeRows), then the store (read + verify the shard, write
// .npy, commit); and the bare loop feeding uint8 pixels to the graph with the conversion prepended (what OnnxEmbedder
// does since). Each row's paired per-round ratio to the bare loop, mean [95% CI].
//   node bench/backfill-pipeline/reembed-breakdown.ts [--rounds 10] [--shard-size 5000]
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '10' }, 'shard-size': { type: 'string', default: '5000' } } });
const rounds = Number(values.rounds), shardSize = Number(values['shard-size']);
const BATCH = 256, SIZE = 784;

const root = path.join(os.tmpdir(), `reverie-bench-breakdown-${process.pid}`);
const runtime = createLocalRuntime(loadConfig({ REVERIE_STORE: `file://${root}` }), { log: silentLogger });
const images = await loadBuiltinDataset('fashion-mnist');
const count = images.ids.length;
const shards = Math.ceil(count / shardSize);
const gallery = 'fm';
await ingestGallery(runtime.store, { dataset: 'fashion-mnist', split: 'all', galleryId: gallery, shardSize, maxQueries: 10 });
const model = builtinModelFiles('fashion-mnist').new;
const ort = loadOnnxRuntime();
const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
const pixelSession = await ort.InferenceSession.create(withUint8Input(await readFile(model), model), { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
const embedder = await OnnxEmbedder.load(model, { intraOpNumThreads: 1, batchSize: BATCH });
const raw = await OnnxEmbedder.load(model, { intraOpNumThreads: 1, batchSize: BATCH, normalize: false });
const shardSets = Array.from({ length: shards }, (_, s) => subsetImages(images, Uint32Array.from({ length: Math.min(count, (s + 1) * shardSize) - s * shardSize }, (_, i) => s * shardSize + i)));

/** Runs `work(shard)` for every shard, `at` at once. */
const overShards = (at: number, work: (s: number) => Promise<unknown>) => async () => {
  let next = 0;
  await Promise.all(Array.from({ length: at }, async () => { for (let s = next++; s < shards; s = next++) await work(s); }));
};
const buffers = Array.from({ length: 8 }, () => new Float32Array(BATCH * SIZE));
/** The bare loop over one shard's images, converting into buffer `b`. */
const bareShard = (s: number, b: number) => async () => {
  const set = shardSets[s];
  for (let a = 0; a < set.ids.length; a += BATCH) {
    const e = Math.min(set.ids.length, a + BATCH);
    const data = imagesToNchw(set, a, e, buffers[b].subarray(0, (e - a) * SIZE));
    (await session.run({ image: new ort.Tensor('float32', data, [e - a, 1, 28, 28]) })).embedding.dispose();
  }
};
/** The bare loop over one shard's uint8 pixels, fed to the graph with the conversion prepended. */
const bareUint8Shard = async (s: number) => {
  const set = shardSets[s];
  for (let a = 0; a < set.ids.length; a += BATCH) {
    const e = Math.min(set.ids.length, a + BATCH);
    (await pixelSession.run({ image_uint8: new ort.Tensor('uint8', set.pixels.subarray(a * SIZE, e * SIZE), [e - a, 1, 28, 28]) })).embedding.dispose();
  }
};
let slot = 0;
const concurrentBare = (at: number) => overShards(at, async (s) => { const b = slot++ % at; await bareShard(s, b)(); });
const reset = () => rm(path.join(root, galleryKeys(gallery).shards('new')), { recursive: true, force: true });
const steps = (at: number) => async () => {
  await reset();
  await overShards(at, (s) => embedShard(runtime.store, { gallery, shard: s, executionId: 'bench', batchSize: BATCH, intraOpNumThreads: 1 }))();
};

const variants = [
  { what: 'bare loop, one reused buffer (the best bare loop)', run: overShards(1, (s) => bareShard(s, 0)()) },
  { what: 'bare loop, 2 shards at once (a buffer each, one session)', run: concurrentBare(2) },
  { what: 'bare loop, 4 shards at once (a buffer each, one session)', run: concurrentBare(4) },
  { what: 'bare loop, uint8 pixels into the graph with the conversion prepended', run: overShards(1, bareUint8Shard) },
  { what: 'OnnxEmbedder.embedImages per shard, no normalizeRows', run: overShards(1, (s) => raw.embedImages(shardSets[s])) },
  { what: 'OnnxEmbedder.embedImages per shard (+ normalizeRows)', run: overShards(1, (s) => embedder.embedImages(shardSets[s])) },
  { what: 'OnnxEmbedder.embedImages, 4 shards at once', run: overShards(4, (s) => embedder.embedImages(shardSets[s])) },
  { what: 'shard step, 1 at once', run: steps(1) },
  { what: 'shard step, 2 at once', run: steps(2) },
  { what: 'shard step, 4 at once', run: steps(4) },
];
const { seconds, load } = await interleavedRounds(variants, rounds, 2);
await Promise.all([session.release(), pixelSession.release(), embedder.release(), raw.release()]);
await rm(root, { recursive: true, force: true });

const rows = variants.map((v, i) => {
  const ratio = meanInterval(seconds[i].map((t, k) => seconds[0][k] / t));
  return {
    what: v.what,
    imagesPerSecond: Math.round(count / (seconds[i].reduce((a, b) => a + b, 0) / rounds)),
    'vs best bare, paired mean [95% CI]': `${ratio.mean.toFixed(2)} [${ratio.ci95[0].toFixed(2)}, ${ratio.ci95[1].toFixed(2)}]`,
  };
});
console.log(`${count} fashion-mnist images, new.onnx, batch ${BATCH}, 1 onnxruntime thread, ${shardSize}/shard, ${rounds} interleaved rounds, load ${load.map((l) => l.toFixed(1)).join('/')}:`);
console.table(rows);
console.log(`wrote ${await writeResult('backfill-pipeline-reembed-breakdown', { images: count, batchSize: BATCH, shardSize, rounds, load, rows, secondsPerRound: Object.fromEntries(variants.map((v, i) => [v.what, seconds[i]])) })}`);
