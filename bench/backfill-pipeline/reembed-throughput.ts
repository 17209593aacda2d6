import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLocalRuntime } from '../../workflows/local-runtime.ts';
import { loadBuiltinDataset } from '../../core/backfill/datasets/builtin.ts';
import { imagesToNchw } from '../../core/backfill/datasets/image-set.ts';
import { builtinModelFiles } from '../../core/backfill/eval/evaluate-builtin.ts';
import { ingestGallery } from '../../core/backfill/gallery/ingest.ts';
import { galleryKeys } from '../../core/backfill/gallery/keys.ts';
import { embedShard } from '../../core/backfill/pipeline/embed-shard.ts';
import { loadConfig } from '../../core/config/config.ts';
import { silentLogger } from '../../core/log.ts';
import { withUint8Input } from '../../core/backfill/onnx/uint8-input.ts';
import { loadOnnxRuntime } from '../../core/onnx-runtime.ts';
import { meanInterval } from '../../core/stats/mean-interval.ts';
import { median, writeResult } from './table.ts';

// Re-embedding throughput: the backfill's shard step and the whole workflow against a bare onnxruntime session on the
// same model (fashion-mnist new.onnx), batch size (256) and thread count (1), over the same 70,000 images, the
// variants interleaved round by round (median of the rounds after a warm-up round).
// The bare loops: float input ready (inference only); a JavaScript uint8→float conversion per batch into a new array,
// or into one reused buffer; uint8 pixels fed to the model with the conversion prepended to its graph
// (`withUint8Input`, what OnnxEmbedder.embedImages does). Every row is also given as paired per-round ratios,
// mean [95% CI], against the reused-buffer loop and the uint8-graph loop (the best bare loops).
// Each shard step runs with each `--workers` count of pixel workers (0: the uint8→float conversion on the inference
// thread, the default; n: in n worker threads while the model runs, `embedShard`'s pixelWorkers).
// `--before DIR` also times the shard step and the workflow of another checkout (e.g. `git archive <commit> | tar -x -C
// DIR`, with this node_modules linked in) on the same store, interleaved with this one: before vs after in one run.
//   node bench/backfill-pipeline/reembed-throughput.ts [--rounds 5] [--concurrency 4] [--shard-sizes 1000,5000] [--workers 0,1] [--before DIR] [--skip-online]
const { values } = parseArgs({ options: {
  rounds: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '4' }, 'shard-sizes': { type: 'string', default: '1000,5000' },
  workers: { type: 'string', default: '0,1' }, before: { type: 'string' }, 'skip-online': { type: 'boolean', default: false },
} });
const rounds = Number(values.rounds), concurrency = Number(values.concurrency);
const shardSizes = values['shard-sizes']!.split(',').map(Number);
const workerCounts = values.workers!.split(',').map(Number);
const BATCH = 256;

const root = path.join(os.tmpdir(), `reverie-bench-reembed-${process.pid}`);
const runtime = createLocalRuntime(loadConfig({ REVERIE_STORE: `file://${root}` }), { log: silentLogger });
const images = await loadBuiltinDataset('fashion-mnist');
const count = images.ids.length;
const model = builtinModelFiles('fashion-mnist').new;
for (const size of shardSizes) await ingestGallery(runtime.store, { dataset: 'fashion-mnist', split: 'all', galleryId: `fm-${size}`, shardSize: size, maxQueries: 10 });
await ingestGallery(runtime.store, { dataset: 'fashion-mnist', split: 'all', galleryId: 'fm-online', shardSize: shardSizes.at(-1), maxQueries: 10, models: { psi: 'online' } });

const ort = loadOnnxRuntime();
// The same session options OnnxEmbedder uses.
const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
// Float input for the first 10,240 images, cycled: holding all 70,000 as float (220 MB) slowed every other variant's
// garbage collection; an MLP's cost does not depend on pixel values, so the cycle times the same work.
const READY = 40 * BATCH;
const ready = imagesToNchw(images, 0, READY);
const reused = new Float32Array(BATCH * 784);
const pixelSession = await ort.InferenceSession.create(withUint8Input(await readFile(model), model), { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
const bareUint8 = async () => {
  for (let s = 0; s < count; s += BATCH) {
    const e = Math.min(count, s + BATCH);
    (await pixelSession.run({ image_uint8: new ort.Tensor('uint8', images.pixels.subarray(s * 784, e * 784), [e - s, 1, 28, 28]) })).embedding.dispose();
  }
};
const bare = (convert: boolean, reuse = false) => async () => {
  for (let s = 0; s < count; s += BATCH) {
    const e = Math.min(count, s + BATCH);
    const data = !convert ? ready.subarray((s % READY) * 784, ((s % READY) + e - s) * 784)
      : reuse ? imagesToNchw(images, s, e, reused.subarray(0, (e - s) * 784)) : imagesToNchw(images, s, e);
    (await session.run({ image: new ort.Tensor('float32', data, [e - s, 1, 28, 28]) })).embedding.dispose();
  }
};
const reset = (gallery: string) => rm(path.join(root, galleryKeys(gallery).shards('new')), { recursive: true, force: true });
const before = values.before ? path.resolve(values.before) : undefined;
const beforeShard = before ? (await import(path.join(before, 'core/backfill/pipeline/embed-shard.ts')) as { embedShard: typeof embedShard }).embedShard : undefined;
const beforeRuntime = before
  ? (await import(path.join(before, 'workflows/local-runtime.ts')) as { createLocalRuntime: typeof createLocalRuntime }).createLocalRuntime(loadConfig({ REVERIE_STORE: `file://${root}` }), { log: silentLogger })
  : undefined;
// The other checkout runs on its own runtime (same store root): its error classes are its own.
const shardSteps = (gallery: string, size: number, pixelWorkers: number, step = embedShard, store = runtime.store) => async () => {
  await reset(gallery);
  let next = 0;
  const shards = Math.ceil(count / size);
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let s = next++; s < shards; s = next++) await step(store, { gallery, shard: s, executionId: 'bench', batchSize: BATCH, intraOpNumThreads: 1 }, { pixelWorkers });
  }));
};
const engine = await runtime.engine();
const beforeEngine = await beforeRuntime?.engine();
const workflow = (gallery: string, on = engine) => async () => {
  await reset(gallery);
  const done = await on.wait((await on.start('backfill', { gallery, maxConcurrency: concurrency, batchSize: BATCH, intraOpNumThreads: 1 })).id);
  if (done.status !== 'SUCCEEDED') throw new Error(`backfill ${done.status}: ${JSON.stringify(done.error)}`);
};

const variants: { what: string; run: () => Promise<void> }[] = [
  { what: 'bare session, float input ready (inference only)', run: bare(false) },
  { what: 'bare session + uint8→float per batch', run: bare(true) },
  { what: 'bare session + uint8→float per batch into one reused buffer', run: bare(true, true) },
  { what: 'bare session, uint8 pixels into the graph with the conversion prepended', run: bareUint8 },
  ...shardSizes.flatMap((size) => workerCounts.map((w) => ({
    what: `shard step ×${Math.ceil(count / size)} (read+verify shard, infer, write .npy, commit), ${size}/shard, ${concurrency} at once, ${w} pixel workers`, run: shardSteps(`fm-${size}`, size, w),
  }))),
  ...shardSizes.map((size) => ({ what: `backfill workflow, local engine, trained ψ, ${size}/shard`, run: workflow(`fm-${size}`) })),
  ...(beforeShard && beforeEngine ? shardSizes.flatMap((size) => [
    { what: `BEFORE (${path.basename(before!)}): shard step, ${size}/shard, ${concurrency} at once, 0 pixel workers`, run: shardSteps(`fm-${size}`, size, 0, beforeShard, beforeRuntime!.store) },
    { what: `BEFORE (${path.basename(before!)}): backfill workflow, trained ψ, ${size}/shard`, run: workflow(`fm-${size}`, beforeEngine) },
  ]) : []),
  ...(values['skip-online'] ? [] : [{ what: `backfill workflow, local engine, online ψ refits, ${shardSizes.at(-1)}/shard`, run: workflow('fm-online') }]),
];
const seconds = variants.map(() => [] as number[]);
for (let round = 0; round <= rounds; round++) {
  for (const [v, variant] of variants.entries()) {
    const t = performance.now();
    await variant.run();
    if (round > 0) seconds[v].push((performance.now() - t) / 1000);
  }
}
await Promise.all([session.release(), pixelSession.release()]);
await rm(root, { recursive: true, force: true });

const rates = seconds.map((s) => count / median(s));
/** Variant i's speed over variant j's, per round: mean [95% CI]. */
function paired(i: number, j: number): string {
  const r = meanInterval(seconds[i].map((t, k) => seconds[j][k] / t));
  return `${r.mean.toFixed(2)} [${r.ci95[0].toFixed(2)}, ${r.ci95[1].toFixed(2)}]`;
}
const rows = variants.map((v, i) => ({
  what: v.what,
  imagesPerSecond: Math.round(rates[i]),
  vsBareWithConversion: +(rates[i] / rates[1]).toFixed(2),
  // Per round, against the bare session with conversion of the same round: the spread of the ratio.
  range: (([lo, hi]) => `${lo.toFixed(2)}–${hi.toFixed(2)}`)(((r) => [Math.min(...r), Math.max(...r)])(seconds[i].map((t, k) => seconds[1][k] / t))),
  vsBareFloatReady: +(rates[i] / rates[0]).toFixed(2),
  'vs bare + conversion, paired [95% CI]': paired(i, 1),
  'vs reused buffer, paired [95% CI]': paired(i, 2),
  'vs uint8 graph, paired [95% CI]': paired(i, 3),
}));
console.log(`re-embedding ${count} fashion-mnist images with new.onnx, batch ${BATCH}, 1 onnxruntime thread, median of ${rounds} interleaved rounds:`);
console.table(rows);
if (before) {
  // After over before, paired per round: each BEFORE row against the same row of this checkout.
  for (const [i, v] of variants.entries()) {
    if (!v.what.startsWith('BEFORE')) continue;
    const same = variants.findIndex((w) => !w.what.startsWith('BEFORE') && w.what.includes(v.what.includes('workflow') ? 'backfill workflow, local engine, trained' : 'shard step') && w.what.includes(v.what.match(/(\d+)\/shard/)![0]));
    console.log(`after / before, ${variants[same].what}: ${paired(same, i)}`);
  }
}
console.log('The bare baselines run onnxruntime only: no store, no .npy, no checksums, no engine. "float input ready" has the\n' +
  'images converted to float beforehand (not timed; 10,240 images cycled); "+ uint8→float" converts each batch with\n' +
  'imagesToNchw (into a new array, or one reused buffer); "uint8 pixels into the graph" feeds the pixels to the model with\n' +
  'the cast and scale prepended to its graph (withUint8Input), as the shard step does inside OnnxEmbedder.embedImages.');
console.log(`wrote ${await writeResult('backfill-pipeline-reembed', { images: count, batchSize: BATCH, threads: 1, concurrency, rounds, workers: workerCounts, before: before ?? null, loadAverage: os.loadavg(), rows, secondsPerRound: Object.fromEntries(variants.map((v, i) => [v.what, seconds[i]])) })}`);
