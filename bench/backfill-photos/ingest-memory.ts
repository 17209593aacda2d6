/**
 * Peak memory of the streaming photo ingest as the gallery grows: `npm run bench -- backfill-photos/ingest-memory
 * [--sizes 1000,10000,100000] [--pool 200]`. Each size is one child process (its peak RSS is its own, from
 * `process.resourceUsage().maxRSS`) ingesting a folder of N generated photos with the project's photo model pair
 * (old model embeds every image). The folder holds `--pool` distinct generated JPEG/PNG/WebP photos (40–320 px) and
 * hard links to them up to N files, so large sizes need no N distinct encodes; every file is still listed, read,
 * hashed, decoded, resized and embedded, and its shard written.
 */
import { spawnSync } from 'node:child_process';
import { link, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeResult } from '../backfill-pipeline/table.ts';

const MODELS = path.resolve(import.meta.dirname, '../../models/photos');
const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,10000,100000' }, pool: { type: 'string', default: '200' }, child: { type: 'string' }, store: { type: 'string' } } });

if (values.child) {
  const { ingestPhotoGallery } = await import('../../core/backfill/gallery/stream-ingest.ts');
  const { FileStore } = await import('../../core/store/file-store.ts');
  const started = performance.now();
  const summary = await ingestPhotoGallery(new FileStore(values.store!), {
    dataset: values.child, galleryId: 'bench', oldCard: path.join(MODELS, 'old.card.json'), newCard: path.join(MODELS, 'new.card.json'), shardSize: 1000, queryFraction: 0.01,
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ items: summary.items, queries: summary.queries, shards: summary.shards, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20 }));
  process.exit(0);
}

const { writePhotoFolder } = await import('../../test/fixtures/photo-set.ts');
const sizes = values.sizes.split(',').map(Number);
const pool = Number(values.pool);
const root = await mkdtemp(path.join(os.tmpdir(), 'reverie-ingest-memory-'));
const poolDir = path.join(root, 'pool');
const written = await writePhotoFolder(poolDir, { count: pool, seed: 99 });
const rows: Record<string, number | string>[] = [];
try {
  for (const size of sizes) {
    const dir = path.join(root, `gallery-${size}`);
    for (let i = 0; i < size; i++) {
      const photo = written[i % pool];
      const target = path.join(dir, photo.label, `${String(i).padStart(8, '0')}${path.extname(photo.sourceId)}`);
      if (i < 4 * pool || i % 1000 === 0) await mkdir(path.dirname(target), { recursive: true });
      await link(path.join(poolDir, photo.sourceId), target);
    }
    const store = path.join(root, `store-${size}`);
    const run = spawnSync(process.execPath, [import.meta.filename, '--child', dir, '--store', store], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (run.status !== 0) throw new Error(`ingest of ${size} failed: ${run.stderr}`);
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    rows.push({ images: size, ...result, imagesPerSecond: size / result.seconds });
    console.log(`${String(size).padStart(8)} images  peak RSS ${result.peakRssMb.toFixed(0).padStart(5)} MB  heap at end ${result.heapUsedMb.toFixed(0).padStart(4)} MB  ${result.seconds.toFixed(1).padStart(7)} s  ${(size / result.seconds).toFixed(0).padStart(5)} images/s`);
    await rm(dir, { recursive: true, force: true });
    await rm(store, { recursive: true, force: true });
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
const file = await writeResult('backfill-photos-ingest-memory', {
  method: 'one child process per size; streaming ingest (shard size 1000, page size 256) of N photos with models/photos old/new cards; ' +
    `the folder holds ${pool} distinct generated photos and hard links to them up to N; peak RSS = process.resourceUsage().maxRSS; one run per size`,
  rows,
});
console.log(`wrote ${file}`);
