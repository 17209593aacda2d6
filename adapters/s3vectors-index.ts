import {
  ConflictException,
  CreateIndexCommand,
  DeleteVectorsCommand,
  GetIndexCommand,
  ListVectorsCommand,
  PutVectorsCommand,
  QueryVectorsCommand,
  type S3VectorsClient,
} from '@aws-sdk/client-s3vectors';
import type { FeatureMatrix } from '../core/backfill/features.ts';
import type { SearchHit } from '../core/backfill/search/exact-search.ts';
import { assertBatch } from '../core/backfill/search/index/exact-index.ts';
import { assertId } from '../core/backfill/search/index/id-slots.ts';
import { S3_VECTORS_LIMITS, S3_VECTORS_NAME } from '../core/backfill/search/index/s3vectors-limits.ts';
import { VectorIndexKind, type VectorIndex, type VectorIndexFactory, type VectorSearchOptions } from '../core/backfill/search/index/vector-index.ts';
import { InvalidInputError } from '../core/errors.ts';

export interface S3VectorsIndexOptions {
  readonly client: S3VectorsClient;
  readonly bucket: string;
  readonly indexName: string;
  readonly dim: number;
}

/**
 * One part of a backfill in an Amazon S3 Vectors index: the vectors live in the service, never in this process.
 * Keys are the gallery item indices as decimal strings; the index uses the cosine metric (S3 Vectors has no inner
 * product), equal to the inner product for the unit vectors Reverie stores, so `score = 1 − distance`. Writes go in
 * batches inside the documented limits (500 vectors and 20 MiB per PutVectors, 500 keys per DeleteVectors).
 */
export class S3VectorsIndex implements VectorIndex {
  readonly kind = VectorIndexKind.s3vectors;
  readonly approximate = true;
  readonly maxK = S3_VECTORS_LIMITS.maxTopK;
  readonly dim: number;
  private readonly client: S3VectorsClient;
  private readonly target: { vectorBucketName: string; indexName: string };

  constructor(options: S3VectorsIndexOptions) {
    assertDimension(options.dim);
    this.dim = options.dim;
    this.client = options.client;
    this.target = { vectorBucketName: options.bucket, indexName: options.indexName };
  }

  async add(ids: Int32Array, vectors: FeatureMatrix): Promise<void> {
    assertBatch(ids, vectors, this.dim);
    ids.forEach(assertId);
    // A float32 printed as JSON takes at most ~16 bytes with its comma; keep each request 10% under the payload limit.
    const perRequest = Math.min(S3_VECTORS_LIMITS.maxPutVectors, Math.floor((S3_VECTORS_LIMITS.maxPayloadBytes * 0.9) / (this.dim * 16 + 64)));
    for (let start = 0; start < ids.length; start += perRequest) {
      const end = Math.min(ids.length, start + perRequest);
      const batch = [];
      for (let i = start; i < end; i++) batch.push({ key: String(ids[i]), data: { float32: Array.from(vectors.data.subarray(i * this.dim, (i + 1) * this.dim)) } });
      await this.client.send(new PutVectorsCommand({ ...this.target, vectors: batch }));
    }
  }

  async remove(ids: Int32Array): Promise<void> {
    for (let start = 0; start < ids.length; start += S3_VECTORS_LIMITS.maxDeleteVectors) {
      const keys = Array.from(ids.subarray(start, start + S3_VECTORS_LIMITS.maxDeleteVectors), String);
      await this.client.send(new DeleteVectorsCommand({ ...this.target, keys }));
    }
  }

  /** One QueryVectors per query; a filter is applied to the (at most 100) results the service returns. */
  async search(queries: FeatureMatrix, k: number, options: VectorSearchOptions = {}): Promise<SearchHit[][]> {
    if (!Number.isInteger(k) || k < 0) throw new InvalidInputError(`k must be a non-negative integer, got ${k}`);
    if (k > S3_VECTORS_LIMITS.maxTopK) throw new InvalidInputError(`S3 Vectors returns at most ${S3_VECTORS_LIMITS.maxTopK} results per query, asked for ${k}`);
    if (queries.dim !== this.dim) throw new InvalidInputError(`query features have dimension ${queries.dim}, the index ${this.dim}`);
    const topK = options.filter ? Math.min(S3_VECTORS_LIMITS.maxTopK, 4 * k) : k;
    return Promise.all(Array.from({ length: queries.rows }, async (_, q) => {
      if (k === 0) return [];
      const queryVector = { float32: Array.from(queries.data.subarray(q * this.dim, (q + 1) * this.dim)) };
      const out = await this.client.send(new QueryVectorsCommand({ ...this.target, topK, queryVector, returnDistance: true }));
      const hits = (out.vectors ?? []).map((v) => ({ index: Number(v.key), score: Math.fround(1 - (v.distance ?? Number.NaN)) }));
      return (options.filter ? hits.filter((h) => options.filter!(h.index)) : hits).slice(0, k);
    }));
  }

  /** Counts keys page by page (ListVectors): for tests and status, not for the hot path. */
  async size(): Promise<number> {
    let count = 0;
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(new ListVectorsCommand({ ...this.target, maxResults: S3_VECTORS_LIMITS.maxListVectors, nextToken }));
      count += page.vectors?.length ?? 0;
      nextToken = page.nextToken;
    } while (nextToken);
    return count;
  }

  async serialize(): Promise<undefined> {
    return undefined;
  }
}

function assertDimension(dim: number): void {
  if (!(Number.isInteger(dim) && dim >= S3_VECTORS_LIMITS.minDimension && dim <= S3_VECTORS_LIMITS.maxDimension)) {
    throw new InvalidInputError(`S3 Vectors indexes have ${S3_VECTORS_LIMITS.minDimension}–${S3_VECTORS_LIMITS.maxDimension} dimensions, got ${dim}`);
  }
}

/**
 * Indexes in one vector bucket (created by infra), one per gallery part: `create` makes the index when it does not
 * exist (an existing one of the same dimension is reused, so a restarted server or a new Lambda finds its vectors).
 */
export function s3VectorsIndexFactory(client: S3VectorsClient, bucket: string): VectorIndexFactory {
  const open = async (name: string, dim: number, createIfMissing: boolean) => {
    const indexName = name.toLowerCase();
    if (!S3_VECTORS_NAME.test(indexName)) throw new InvalidInputError(`"${indexName}" is not an S3 Vectors index name (3–63 lowercase letters, digits, dots, dashes)`);
    assertDimension(dim);
    if (createIfMissing) {
      try {
        await client.send(new CreateIndexCommand({ vectorBucketName: bucket, indexName, dataType: 'float32', dimension: dim, distanceMetric: 'cosine' }));
      } catch (error) {
        if (!(error instanceof ConflictException)) throw error;
      }
    }
    const existing = await client.send(new GetIndexCommand({ vectorBucketName: bucket, indexName }));
    if (existing.index?.dimension !== dim) throw new InvalidInputError(`S3 Vectors index "${indexName}" has dimension ${existing.index?.dimension}, the gallery ${dim}`);
    return new S3VectorsIndex({ client, bucket, indexName, dim });
  };
  return { kind: VectorIndexKind.s3vectors, create: (name, dim) => open(name, dim, true), load: (name, dim) => open(name, dim, false) };
}
