import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { S3Store } from '../../adapters/s3-store.ts';
import { readShardItems } from '../../core/backfill/gallery/image-shard.ts';
import { galleryKeys } from '../../core/backfill/gallery/keys.ts';
import { orderRank } from '../../core/backfill/gallery/shuffled-listing.ts';
import { ingestPhotoGallery } from '../../core/backfill/gallery/stream-ingest.ts';
import { FileStore } from '../../core/store/file-store.ts';
import type { Store } from '../../core/store/store.ts';
import { useEmulator } from '../fixtures/fauxqs.ts';
import { writePhotoFolder } from '../fixtures/photo-set.ts';
import { countingStore, flakyStore } from '../backfill-pipeline/helpers.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/runtime.ts';

const emulator = useEmulator();
const MODELS = path.resolve(import.meta.dirname, '../../models/photos');
const cards = { oldCard: path.join(MODELS, 'old.card.json'), newCard: path.join(MODELS, 'new.card.json') };

/** 40 photos of two classes (circle, square), listed class by class: every circle's key sorts before every square's. */
async function twoClassFolder(): Promise<string> {
  const dir = await tempDir('two-');
  await writePhotoFolder(dir, { count: 80, seed: 3, minSide: 24, maxSide: 64 });
  for (const cls of ['triangle', 'stripes']) await rm(path.join(dir, cls), { recursive: true });
  return dir;
}

async function shardSourceIds(store: Store, gallery: string, shards: number): Promise<string[][]> {
  return Promise.all(Array.from({ length: shards }, async (_, s) => [...(await readShardItems(store, galleryKeys(gallery).shard('images', s))).sourceIds]));
}

describe('the order a streamed gallery is dealt into shards in', () => {
  it('mixes the classes from the first shard on, in a seeded order that does not depend on the listing order', async () => {
    // Prepare
    const dir = await twoClassFolder();
    const [a, b, c] = [new FileStore(await tempDir()), new FileStore(await tempDir()), new FileStore(await tempDir())];
    // Act
    const summary = await ingestPhotoGallery(a, { dataset: dir, galleryId: 'two', ...cards, shardSize: 10, queryFraction: 0 });
    await ingestPhotoGallery(b, { dataset: dir, galleryId: 'two', ...cards, shardSize: 10, queryFraction: 0 });
    await ingestPhotoGallery(c, { dataset: dir, galleryId: 'two', ...cards, shardSize: 10, queryFraction: 0, orderSeed: 2 });
    // Assess: both classes in shard 0; the order is ascending rank; the same seed deals the same shards, another not.
    expect(summary.items).toBe(40);
    const shards = await shardSourceIds(a, 'two', summary.shards);
    expect(new Set(shards[0].map((id) => id.split('/')[0]))).toEqual(new Set(['circle', 'square']));
    const ranks = shards.flat().map((id) => orderRank(1, id));
    expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
    expect(await shardSourceIds(b, 'two', summary.shards)).toEqual(shards);
    expect(await shardSourceIds(c, 'two', summary.shards)).not.toEqual(shards);
    expect(shards.flat().sort()).toEqual((await shardSourceIds(c, 'two', summary.shards)).flat().sort());
  }, 120_000);

  it('resumes an interrupted ingest without reading committed shards again, and refuses a source that changed meanwhile, naming the object', async () => {
    // Prepare: 40 photos under an s3:// prefix, read through a store that records every GET.
    const s3 = emulator();
    s3.createBucket('order');
    const dir = await twoClassFolder();
    const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
    for (const file of files) await s3.s3.send(new PutObjectCommand({ Bucket: 'order', Key: `p/${file}`, Body: await readFile(path.join(dir, file)) }));
    const source = countingStore(new S3Store({ bucket: 'order', prefix: 'p', client: s3.s3 }));
    const options = { dataset: 's3://order/p', galleryId: 'two', ...cards, shardSize: 10, queryFraction: 0, openStore: () => source };
    const store = new FileStore(await tempDir());
    // Act: the first run dies writing shard 2's embeddings; the second finishes.
    await expect(ingestPhotoGallery(flakyStore(store, /old\/shard-00002\/embeddings/, 1), options)).rejects.toThrow(/ECONNRESET/);
    const committedFirst = await shardSourceIds(store, 'two', 2);
    source.reads.length = 0;
    const summary = await ingestPhotoGallery(store, options);
    // Assess: the re-run read only the items of shards 2 and 3, and shards 0–1 are as the first run left them.
    expect(summary.items).toBe(40);
    expect(source.reads).toHaveLength(20);
    expect(source.reads.some((key) => committedFirst.flat().includes(key))).toBe(false);
    expect(await shardSourceIds(store, 'two', 2)).toEqual(committedFirst);

    // Act: interrupted again, in another gallery; then an object is added to the source before the re-run.
    await expect(ingestPhotoGallery(flakyStore(store, /old\/shard-00002\/embeddings/, 1), { ...options, galleryId: 'two-b' })).rejects.toThrow(/ECONNRESET/);
    // A new key whose place in the order falls inside the committed shards (a later one would change nothing committed).
    const lastCommitted = orderRank(1, committedFirst[1].at(-1)!);
    let n = 0;
    while (orderRank(1, `circle/extra-${n}.png`) > lastCommitted) n++;
    const extra = `circle/extra-${n}.png`;
    await s3.s3.send(new PutObjectCommand({ Bucket: 'order', Key: `p/${extra}`, Body: await source.get(files[0]) }));
    // Assess
    await expect(ingestPhotoGallery(store, { ...options, galleryId: 'two-b' })).rejects.toThrow(/source changed since an interrupted ingest committed .*shard-0000[01]: .*(is new|was there)/);
  }, 180_000);

  it('says so when a gallery ingested before the seeded order is ingested again, instead of blaming another source', async () => {
    // Prepare: a gallery whose record is what an earlier Reverie wrote (key order: orderSeed 0, another fingerprint).
    const dir = await twoClassFolder();
    const root = await tempDir();
    const env = { REVERIE_STORE: `file://${root}` };
    const args = ['backfill', 'ingest', '--dataset', dir, '--gallery', 'two', '--old-model', cards.oldCard, '--new-model', cards.newCard, '--query-fraction', '0.1', '--json'];
    expect((await runCli(args, env)).code).toBe(0);
    const file = path.join(root, galleryKeys('two').record);
    await writeFile(file, JSON.stringify({ ...JSON.parse(await readFile(file, 'utf8')), orderSeed: 0, fingerprint: 'from-an-older-run' }));
    // Act
    const again = await runCli(args, env);
    // Assess
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/"two" was ingested by an earlier Reverie in the source's key order .*another --gallery id/);
    expect(again.stderr).not.toMatch(/at .*\.ts:\d+/);
  }, 120_000);
});
