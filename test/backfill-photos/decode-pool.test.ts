import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConflictError, InvalidInputError, NotFoundError } from '../../core/errors.ts';
import { embedSourceRefs, type SourceRef } from '../../core/backfill/gallery/source-embed.ts';
import { DecodePool, decodeWorkersAvailable, liveDecodeWorkers } from '../../core/backfill/images/decode-pool.ts';
import { closeSharedDecodePools, sharedDecodePool } from '../../core/backfill/images/shared-decode-pool.ts';
import { preprocessImage } from '../../core/backfill/images/preprocess.ts';
import { CardEmbedder } from '../../core/backfill/models/card-embedder.ts';
import { loadModelCard } from '../../core/backfill/models/model-card.ts';
import { loadBuiltinDataset } from '../../core/backfill/datasets/builtin.ts';
import { subsetImages } from '../../core/backfill/datasets/image-set.ts';
import { OnnxEmbedder } from '../../core/backfill/embedder.ts';
import { embedPixelSet } from '../../core/backfill/pipeline/embed-pixels.ts';
import { sha256 } from '../../core/store/batch.ts';
import { writePhotoFolder } from '../fixtures/photo-set.ts';
import { tempDir } from '../helpers/runtime.ts';

const MODELS = path.resolve(import.meta.dirname, '../../models/photos');
const CRASHING_WORKER = new URL('../fixtures/crashing-decode-worker.ts', import.meta.url);
let dir: string;
let refs: SourceRef[];
let embedder: CardEmbedder;

beforeAll(async () => {
  dir = await tempDir('decode-pool-');
  // 150 photos: three batches of 64, the last one partial; JPEG, PNG (gray, alpha) and WebP of 40–320 px.
  const photos = await writePhotoFolder(dir, { count: 150, seed: 11 });
  refs = await Promise.all(photos.map(async (p) => ({ sourceId: p.sourceId, sha256: sha256(await readFile(path.join(dir, p.sourceId))) })));
  embedder = await CardEmbedder.open(await loadModelCard(path.join(MODELS, 'new.card.json')), { intraOpNumThreads: 1 });
}, 60_000);
afterEach(() => closeSharedDecodePools());
afterAll(async () => {
  await closeSharedDecodePools();
  await embedder?.release();
});

/** How many values differ between two feature arrays (0: identical bit for bit; cheaper to report than a diff). */
function differing(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.max(a.length, b.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) n++;
  return n;
}

/** A copy of the photo folder with `bytes` written over the image at `index`. */
async function folderWithBrokenImage(index: number, bytes: Uint8Array): Promise<string> {
  const copy = await tempDir('decode-pool-broken-');
  await cp(dir, copy, { recursive: true });
  await writeFile(path.join(copy, refs[index].sourceId), bytes);
  return copy;
}

describe('re-embedding a streamed gallery with decode workers', () => {
  it('gives bit-for-bit the features of decoding on the inference thread, with one worker or two', async () => {
    const sequential = await embedSourceRefs(dir, refs, embedder, { decodeWorkers: 0 });
    const one = await embedSourceRefs(dir, refs, embedder, { decodeWorkers: 1 });
    const two = await embedSourceRefs(dir, refs, embedder, { decodeWorkers: 2 });
    expect(sequential.rows).toBe(150);
    expect(differing(one.data, sequential.data)).toBe(0);
    expect(differing(two.data, sequential.data)).toBe(0);
    await closeSharedDecodePools();
    expect(liveDecodeWorkers()).toBe(0);
  }, 60_000);

  it('hands back each batch as one tensor in the card layout, equal to preprocessing each image alone', async () => {
    const pool = DecodePool.open(embedder.card, { size: 1 });
    try {
      const items = refs.slice(0, 3);
      const batch = await pool.decode(dir, items);
      const alone = await Promise.all(items.map(async (r) => preprocessImage(await readFile(path.join(dir, r.sourceId)), embedder.card, r.sourceId)));
      expect(batch).toBeInstanceOf(Float32Array);
      expect(Array.from(batch)).toEqual(alone.flatMap((t) => Array.from(t)));
    } finally {
      await pool.close();
    }
  });

  it('fails on a corrupt image in the middle of the shard, naming it, and leaves the warm pool serving the next shard', async () => {
    const broken = await folderWithBrokenImage(100, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
    const failure = embedSourceRefs(broken, refs.map((r) => ({ sourceId: r.sourceId })), embedder, { decodeWorkers: 2 });
    await expect(failure).rejects.toThrow(InvalidInputError);
    await expect(failure).rejects.toThrow(refs[100].sourceId);
    expect(liveDecodeWorkers()).toBe(2);
    const next = await embedSourceRefs(dir, refs.slice(0, 70), embedder, { decodeWorkers: 2 });
    expect(differing(next.data, (await embedSourceRefs(dir, refs.slice(0, 70), embedder, { decodeWorkers: 0 })).data)).toBe(0);
    expect(liveDecodeWorkers()).toBe(2);
    await closeSharedDecodePools();
    expect(liveDecodeWorkers()).toBe(0);
  }, 60_000);

  it('refuses an object whose bytes changed since ingest, and one that is gone, naming each', async () => {
    const changed = await folderWithBrokenImage(70, await readFile(path.join(dir, refs[0].sourceId)));
    await expect(embedSourceRefs(changed, refs, embedder, { decodeWorkers: 1 })).rejects.toThrow(ConflictError);
    await expect(embedSourceRefs(changed, refs, embedder, { decodeWorkers: 1 })).rejects.toThrow(`${refs[70].sourceId} changed since it was ingested`);
    const missing = [...refs.slice(0, 10), { sourceId: 'circle/not-there.jpg' }];
    await expect(embedSourceRefs(dir, missing, embedder, { decodeWorkers: 1 })).rejects.toThrow(NotFoundError);
  }, 60_000);

  it('refuses an image over the pixel limit in a worker, as on the inference thread', async () => {
    await expect(embedSourceRefs(dir, refs.slice(0, 5), embedder, { decodeWorkers: 1, maxPixels: 100 })).rejects.toThrow(/over the limit of 100 pixels/);
  });
});

describe('a decode worker that dies', () => {
  it.each([
    ['exits', 'exit-', /exited with code 7/],
    ['throws an uncaught exception', 'throw-', /crashed \(the decoder blew up\)/],
  ])('that %s rejects every batch in flight, naming them, and shuts the pool down', async (_, marker, reason) => {
    const pool = DecodePool.open(embedder.card, { size: 1, workerUrl: CRASHING_WORKER });
    await expect(pool.decode(dir, refs.slice(0, 4))).resolves.toBeInstanceOf(Float32Array);
    const crashing = pool.decode(dir, [refs[4], { sourceId: `${marker}image.jpg` }]);
    const queued = pool.decode(dir, refs.slice(5, 9));
    await Promise.all([
      expect(crashing).rejects.toThrow(reason),
      expect(crashing).rejects.toThrow(`${marker}image.jpg`),
      expect(queued).rejects.toThrow(/the decode pool was shut down/),
      expect(queued).rejects.toThrow(refs[5].sourceId),
    ]);
    await expect(pool.decode(dir, refs.slice(0, 1))).rejects.toThrow(reason);
    await vi.waitFor(() => expect(liveDecodeWorkers()).toBe(0));
  }, 30_000);

  it('after a crash, the shared pool is replaced by a fresh one on the next call', async () => {
    const crashed = sharedDecodePool(embedder.card, { size: 1, workerUrl: CRASHING_WORKER });
    await expect(crashed.decode(dir, [{ sourceId: 'exit-now.jpg' }])).rejects.toThrow(/exited with code 7/);
    expect(crashed.isClosed).toBe(true);
    const fresh = sharedDecodePool(embedder.card, { size: 1, workerUrl: CRASHING_WORKER });
    expect(fresh).not.toBe(crashed);
    await expect(fresh.decode(dir, refs.slice(0, 2))).resolves.toHaveLength(2 * embedder.inputSize);
    await closeSharedDecodePools();
    await vi.waitFor(() => expect(liveDecodeWorkers()).toBe(0));
  });

  it('is not used where the worker module is not a file beside the code (a single-file Lambda bundle)', () => {
    expect(decodeWorkersAvailable()).toBe(true);
    expect(decodeWorkersAvailable(new URL('./decode-worker.ts', 'file:///var/task/embed-shard.mjs'))).toBe(false);
  });

  it('closes itself when idle, and its idle workers do not keep the process alive', async () => {
    const pool = DecodePool.open(embedder.card, { size: 1, idleMs: 200 });
    await pool.decode(dir, refs.slice(0, 1));
    expect(pool.isClosed).toBe(false);
    await vi.waitFor(() => expect(pool.isClosed).toBe(true), { timeout: 5000 });
    await vi.waitFor(() => expect(liveDecodeWorkers()).toBe(0));
  });
});

describe('converting a built-in gallery\'s pixels in decode workers', () => {
  it('embeds 28×28 images bit for bit as on the inference thread, the conversion done in the pool', async () => {
    const all = await loadBuiltinDataset('fashion-mnist');
    const set = subsetImages(all, Array.from({ length: 1000 }, (_, i) => i * 7));
    const model = await OnnxEmbedder.load(path.resolve(import.meta.dirname, '../../models/fashion-mnist/new.onnx'), { batchSize: 256, intraOpNumThreads: 1 });
    try {
      const sequential = await embedPixelSet(model, set, { batchSize: 256, decodeWorkers: 0 });
      expect(liveDecodeWorkers()).toBe(0);
      const pooled = await embedPixelSet(model, set, { batchSize: 256, decodeWorkers: 1 });
      expect(liveDecodeWorkers()).toBe(1);
      expect(pooled.rows).toBe(1000);
      expect(differing(pooled.data, sequential.data)).toBe(0);
      expect(differing(pooled.data, (await model.embedImages(set)).data)).toBe(0);
    } finally {
      await model.release();
    }
  }, 60_000);

  it('refuses images of the wrong shape before any worker is asked', async () => {
    const model = await OnnxEmbedder.load(path.resolve(import.meta.dirname, '../../models/fashion-mnist/new.onnx'));
    try {
      const wrong = { ids: ['a'], labels: new Int32Array(1), pixels: new Uint8Array(32 * 32), height: 32, width: 32, channels: 1 };
      await expect(embedPixelSet(model, wrong, { batchSize: 256, decodeWorkers: 1 })).rejects.toThrow(/images are 32x32/);
      expect(liveDecodeWorkers()).toBe(0);
    } finally {
      await model.release();
    }
  });
});
