// The shard step's parts timed one by one, one shard at a time, what `embedShard` does in that order: check the
// target is not committed, read and verify the shard's pixels, embed them (change log + OnnxEmbedder.embedImages),
// commit .npy + ids + manifest; and, right after each shard, the bare loop feeding the same pixels to the same
// converting graph. Milliseconds per 70,000 images, mean of the rounds after a warm-up.
//   node bench/backfill-pipeline/reembed-parts.ts [--rounds 3]
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { embedLiveRows } from '../../core/backfill/gallery/changes/live-shard-rows.ts';
import { commitEmbeddingShard } from '../../core/backfill/gallery/embedding-shard.ts';
import { loadGalleryEmbedder } from '../../core/backfill/gallery/gallery-models.ts';
import { readGalleryRecord } from '../../core/backfill/gallery/gallery-record.ts';
import { readShardPixels } from '../../core/backfill/gallery/image-shard.ts';
import { ingestGallery } from '../../core/backfill/gallery/ingest.ts';
import { galleryItemId, galleryKeys, ShardKind } from '../../core/backfill/gallery/keys.ts';
import { builtinModelFiles } from '../../core/backfill/eval/evaluate-builtin.ts';
import { withUint8Input } from '../../core/backfill/onnx/uint8-input.ts';
import { loadConfig } from '../../core/config/config.ts';
import { silentLogger } from '../../core/log.ts';
import { loadOnnxRuntime } from '../../core/onnx-runtime.ts';
import { readManifest } from '../../core/store/batch.ts';
import { createLocalRuntime } from '../../workflows/local-runtime.ts';
import { writeResult } from './table.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Number(values.rounds);
const SHARD = 5000, BATCH = 256, SIZE = 784;
const root = path.join(os.tmpdir(), `reverie-bench-parts-${process.pid}`);
const { store } = createLocalRuntime(loadConfig({ REVERIE_STORE: `file://${root}` }), { log: silentLogger });
await ingestGallery(store, { dataset: 'fashion-mnist', split: 'all', galleryId: 'fm', shardSize: SHARD, maxQueries: 10 });
const record = await readGalleryRecord(store, 'fm');
const keys = galleryKeys('fm');
const shards = Math.ceil(record.items / SHARD);
const embedder = await loadGalleryEmbedder(store, record, 'new', { batchSize: BATCH, intraOpNumThreads: 1 });
const ort = loadOnnxRuntime();
const model = builtinModelFiles('fashion-mnist').new;
const bare = await ort.InferenceSession.create(withUint8Input(await readFile(model), model), { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
const ms = { 'check target': 0, 'read + verify pixels': 0, 'embed (change log + embedImages)': 0, 'commit .npy + ids + manifest': 0, 'bare uint8-graph loop, same pixels': 0 };
const parts = Object.keys(ms) as (keyof typeof ms)[];
for (let r = 0; r <= rounds; r++) {
  await rm(path.join(root, keys.shards('new')), { recursive: true, force: true });
  for (let s = 0; s < shards; s++) {
    let part = 0, t = performance.now();
    const lap = () => { const now = performance.now(); if (r > 0) ms[parts[part]] += (now - t) / rounds; part++; t = now; };
    await readManifest(store, keys.shard(ShardKind.new, s));
    lap();
    const images = await readShardPixels(store, keys.shard(ShardKind.images, s), record.image);
    lap();
    const start = s * SHARD, end = start + images.ids.length;
    const { features } = await embedLiveRows(store, record, start, end, record.models.new.dim, () => embedder.embedImages(images));
    lap();
    const ids = Array.from({ length: end - start }, (_, i) => galleryItemId(start + i));
    await commitEmbeddingShard(store, keys.shard(ShardKind.new, s), { features, ids }, { ingest: record.fingerprint, model: 'new', executionId: 'bench' });
    lap();
    for (let a = 0; a < images.ids.length; a += BATCH) {
      const e = Math.min(images.ids.length, a + BATCH);
      (await bare.run({ image_uint8: new ort.Tensor('uint8', images.pixels.subarray(a * SIZE, e * SIZE), [e - a, 1, 28, 28]) })).embedding.dispose();
    }
    lap();
  }
}
await bare.release();
await rm(root, { recursive: true, force: true });
const rows = parts.map((what) => ({ what, msPer70k: Math.round(ms[what]) }));
console.log(`${record.items} fashion-mnist images, ${SHARD}/shard one at a time, ${rounds} rounds, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}:`);
console.table(rows);
console.log(`wrote ${await writeResult('backfill-pipeline-reembed-parts', { images: record.items, shardSize: SHARD, rounds, loadAverage: os.loadavg(), rows })}`);
