import { CreateVectorBucketCommand, S3VectorsClient } from '@aws-sdk/client-s3vectors';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { s3VectorsIndexFactory } from '../../adapters/s3vectors-index.ts';
import { clearGalleryCache } from '../../core/backfill/gallery/search/gallery-cache.ts';
import { searchGallery } from '../../core/backfill/gallery/search/search-gallery.ts';
import { exactIndexFactory } from '../../core/backfill/search/index/exact-index.ts';
import { S3_VECTORS_LIMITS } from '../../core/backfill/search/index/s3vectors-limits.ts';
import { usearchIndexFactory } from '../../core/backfill/search/index/usearch-index.ts';
import type { VectorIndexFactory } from '../../core/backfill/search/index/vector-index.ts';
import { SEARCH_MODES } from '../../core/backfill/search/search-mode.ts';
import { testRuntime } from '../helpers/runtime.ts';
import { startS3VectorsServer, type S3VectorsServer } from '../fixtures/s3vectors-server.ts';
import { countingStore, ingestSmall, runBackfill } from './helpers.ts';

let server: S3VectorsServer;
let client: S3VectorsClient;
beforeAll(async () => {
  server = await startS3VectorsServer();
  client = new S3VectorsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await client.send(new CreateVectorBucketCommand({ vectorBucketName: 'reverie-vectors' }));
});
afterAll(async () => {
  client.destroy();
  await server.close();
});
beforeEach(() => clearGalleryCache());

const K = 15;
const QUERIES = ['q-00001', 'q-00004', 'q-00009', 'q-00017', 'q-00023'];
const adapters: [string, () => VectorIndexFactory, number][] = [
  // name, factory, the least recall@15 against the exact index accepted (MNIST slice, seeded ingest: deterministic)
  ['usearch', () => usearchIndexFactory(), 0.95],
  ['s3vectors (protocol fixture)', () => s3VectorsIndexFactory(client, 'reverie-vectors'), 1],
];

async function hitsOf(runtime: Awaited<ReturnType<typeof testRuntime>>, factory: VectorIndexFactory, mode: (typeof SEARCH_MODES)[number]) {
  return Promise.all(QUERIES.map((itemId) => searchGallery(runtime.store, 'mn', { itemId, mode, k: K }, { vectorIndex: factory, refreshMs: 0 })));
}

describe.each(adapters)('search during a backfill on the %s index', (name, make, minRecall) => {
  it('matches the exact index in every mode as shards commit, and a restarted server loads the indexes without the shards', async () => {
    const runtime = await testRuntime();
    await ingestSmall(runtime.store);
    const factory = make();
    for (const shards of [0, 2, 4]) {
      if (shards > 0) await runBackfill(runtime, { gallery: 'mn', maxShards: shards });
      for (const mode of SEARCH_MODES) {
        const [exact, approx] = [await hitsOf(runtime, exactIndexFactory, mode), await hitsOf(runtime, factory, mode)];
        let found = 0;
        exact.forEach((e, q) => {
          const got = new Set(approx[q].hits.map((h) => h.id));
          found += e.hits.filter((h) => got.has(h.id)).length;
          expect(approx[q].backfilledFraction).toBe(shards / 4);
          // Every hit is scored in the space its item is in now.
          approx[q].hits.forEach((h) => expect(h.space).toBe(mode !== 'old' && Number(h.id.slice(2)) < shards * 250 ? 'new' : 'old'));
        });
        expect(found / (QUERIES.length * K), `${name} ${mode} at ${shards}/4 shards`).toBeGreaterThanOrEqual(minRecall);
      }
    }
    // A new process: the indexes come from the snapshot (or the service), not from the embedding shards.
    clearGalleryCache();
    const counting = countingStore(runtime.store);
    const before = await hitsOf(runtime, factory, 'rt-merge');
    const after = await Promise.all(QUERIES.map((itemId) => searchGallery(counting, 'mn', { itemId, mode: 'rt-merge', k: K }, { vectorIndex: make() })));
    expect(counting.reads.filter((key) => /\/(old|new)\/shard-\d+\/embeddings\.npy$/.test(key))).toEqual([]);
    expect(after.map((r) => r.hits.map((h) => h.id))).toEqual(before.map((r) => r.hits.map((h) => h.id)));
  }, 120_000);
});

describe('the S3 Vectors adapter', () => {
  it('keeps every request inside the documented limits', () => {
    const puts = server.requests.filter((r) => r.operation === 'PutVectors');
    const queries = server.requests.filter((r) => r.operation === 'QueryVectors');
    const deletes = server.requests.filter((r) => r.operation === 'DeleteVectors');
    expect(puts.length).toBeGreaterThan(0);
    expect(deletes.length).toBeGreaterThan(0);
    for (const p of puts) expect((p.body.vectors as unknown[]).length).toBeLessThanOrEqual(S3_VECTORS_LIMITS.maxPutVectors);
    for (const d of deletes) expect((d.body.keys as unknown[]).length).toBeLessThanOrEqual(S3_VECTORS_LIMITS.maxDeleteVectors);
    for (const q of queries) expect(q.body.topK).toBeLessThanOrEqual(S3_VECTORS_LIMITS.maxTopK);
    // 1,000 old vectors in batches of at most 500: the initial build needs at least two PutVectors per index.
    expect(puts.filter((p) => p.body.indexName === 'mn-old-remaining').length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a k the service cannot answer, and the fixture refuses an oversized batch as the service does', async () => {
    const factory = s3VectorsIndexFactory(client, 'reverie-vectors');
    const index = await factory.create('limits-check', 4);
    await expect(index.search({ data: new Float32Array(4).fill(0.5), rows: 1, dim: 4 }, 101)).rejects.toThrow(/at most 100 results/);
    const { PutVectorsCommand } = await import('@aws-sdk/client-s3vectors');
    const vectors = Array.from({ length: 501 }, (_, i) => ({ key: String(i), data: { float32: [1, 0, 0, 0] } }));
    await expect(client.send(new PutVectorsCommand({ vectorBucketName: 'reverie-vectors', indexName: 'limits-check', vectors }))).rejects.toThrow(/1–500 vectors/);
    await expect(factory.create('limits-check', 5)).rejects.toThrow(/dimension 4, the gallery 5/);
  });
});
