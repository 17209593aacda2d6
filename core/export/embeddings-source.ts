import { z } from 'zod';
import { InvalidInputError } from '../errors.ts';
import { listCommittedShards } from '../backfill/gallery/committed-shards.ts';
import { readEmbeddingShard } from '../backfill/gallery/embedding-shard.ts';
import { readGalleryRecord } from '../backfill/gallery/gallery-record.ts';
import { galleryKeys } from '../backfill/gallery/keys.ts';
import { readManifest } from '../store/batch.ts';
import type { Store } from '../store/store.ts';
import type { Column } from './columns.ts';
import { DatasetKind, type ExportSource } from './source.ts';

export const EMBEDDING_COLUMNS: readonly Column[] = [
  { name: 'id', type: 'string' },
  { name: 'shard', type: 'int32' },
  { name: 'embedding', type: { list: 'float32' } },
];

const ShardMetaSchema = z.object({ items: z.number().int().nonnegative() });

/**
 * A gallery's embeddings under one model (`embeddings:<gallery>/old` or `…/new`), from its committed `.npy` shards,
 * one shard at a time: each row an item id and its float32 embedding. A gallery being backfilled exports the shards
 * committed so far.
 */
export async function embeddingsSource(store: Store, spec: string): Promise<ExportSource> {
  const [galleryId, model, ...rest] = spec.split('/');
  if (!galleryId || (model !== 'old' && model !== 'new') || rest.length > 0) {
    throw new InvalidInputError(`embeddings dataset "${spec}" must be <gallery>/old or <gallery>/new`);
  }
  const record = await readGalleryRecord(store, galleryId);
  const keys = galleryKeys(galleryId);
  const shards = await listCommittedShards(store, keys.shards(model));
  const sizes: number[] = [];
  for (const shard of shards) sizes.push(ShardMetaSchema.parse((await readManifest(store, keys.shard(model, shard)))!.meta).items);
  const info = record.models[model];
  return {
    kind: DatasetKind.embeddings,
    id: spec,
    columns: EMBEDDING_COLUMNS,
    rows: sizes.reduce((a, b) => a + b, 0),
    description: `Image embeddings of gallery \`${galleryId}\` (${record.items} items, ${record.classes.length} classes) under its `
      + `${model} model (${info.dim} dimensions), from ${shards.length} committed shards of ${record.shardSize} items: each row `
      + 'an item id (`g-<n>`) and its float32 embedding, as the backfill pipeline computed it.',
    provenance: { gallery: galleryId, model, dim: info.dim, shards: shards.length, items: record.items, createdAt: record.createdAt },
    async *batches() {
      for (const [i, shard] of shards.entries()) {
        const { features, ids } = await readEmbeddingShard(store, keys.shard(model, shard), { rows: sizes[i]!, dim: info.dim, model });
        yield ids.map((id, row) => ({ id, shard, embedding: Array.from(features.data.subarray(row * info.dim, (row + 1) * info.dim)) }));
      }
    },
  };
}
