import os from 'node:os';
import path from 'node:path';
import { rm } from 'node:fs/promises';
import { readGalleryRecord } from './core/backfill/gallery/gallery-record.ts';
import { galleryKeys } from './core/backfill/gallery/keys.ts';
import { ingestPhotoGallery } from './core/backfill/gallery/stream-ingest.ts';
import { embedShard } from './core/backfill/pipeline/embed-shard.ts';
import { FileStore } from './core/store/file-store.ts';
const workers = Number(process.argv[2]);
const photos = '/tmp/reverie-bench-jpegs-2000-200-1200-2026';
const root = path.join(os.tmpdir(), `reverie-prof-${process.pid}`);
const store = new FileStore(root);
const M = path.resolve('models/photos');
await ingestPhotoGallery(store, { dataset: photos, galleryId: 'p', oldCard: path.join(M, 'old.card.json'), newCard: path.join(M, 'new.card.json'), shardSize: 500, queryFraction: 0.01 });
const r = await readGalleryRecord(store, 'p');
const t = performance.now();
for (let rep = 0; rep < 2; rep++) {
  await rm(path.join(root, galleryKeys('p').shards('new')), { recursive: true, force: true });
  for (let s = 0; s < Math.ceil(r.items / r.shardSize); s++) await embedShard(store, { gallery: 'p', shard: s, executionId: 'x', batchSize: 64, intraOpNumThreads: 1 }, { decodeWorkers: workers });
}
console.log('embed', ((performance.now() - t) / 1000).toFixed(1), 's');
await rm(root, { recursive: true, force: true });
process.exit(0);
