import { z } from 'zod';
import { DataCorruptError, InvalidInputError } from '../errors.ts';
import { NO_LABEL } from '../backfill/datasets/image-set.ts';
import { readAddedFeatures, readAddedItems } from '../backfill/gallery/changes/added-batch.ts';
import type { AddEntry } from '../backfill/gallery/changes/change-log.ts';
import { readChangeLog } from '../backfill/gallery/changes/change-log.ts';
import { galleryMembership, liveInRange, type GalleryMembership } from '../backfill/gallery/changes/membership.ts';
import { listCommittedShards } from '../backfill/gallery/committed-shards.ts';
import { readEmbeddingShard } from '../backfill/gallery/embedding-shard.ts';
import { readGalleryRecord, type GalleryRecord } from '../backfill/gallery/gallery-record.ts';
import { readShardItems } from '../backfill/gallery/image-shard.ts';
import { galleryItemId, galleryKeys } from '../backfill/gallery/keys.ts';
import { readManifest } from '../store/batch.ts';
import type { Store } from '../store/store.ts';
import type { Column, Row } from './columns.ts';
import { DatasetKind, type ExportSource } from './source.ts';

export const EMBEDDING_COLUMNS: readonly Column[] = [
  { name: 'id', type: 'string' },
  { name: 'source_id', type: 'string' },
  { name: 'class_name', type: 'string', optional: true },
  { name: 'shard', type: 'int32', optional: true },
  { name: 'added_in', type: 'int32', optional: true },
  { name: 'embedding', type: { list: 'float32' } },
];

const ShardMetaSchema = z.object({ items: z.number().int().nonnegative() });

/**
 * A gallery's embeddings under one model (`embeddings:<gallery>/old` or `…/new`) as the gallery is now, after the
 * change log entries committed when the export starts: the live items of the committed `.npy` shards (deleted items
 * left out), then the live items of every add that has features in that model (all adds have new-model features;
 * old-model ones only while the old space served). Each row carries the item id, its source id (a streamed photo
 * gallery's object key), its class name (null: unlabelled), the shard or the change that brought it, and its float32
 * embedding. One shard or one added batch is read at a time, so memory stays flat with the gallery's size.
 */
export async function embeddingsSource(store: Store, spec: string): Promise<ExportSource> {
  const [galleryId, model, ...rest] = spec.split('/');
  if (!galleryId || (model !== 'old' && model !== 'new') || rest.length > 0) {
    throw new InvalidInputError(`embeddings dataset "${spec}" must be <gallery>/old or <gallery>/new`);
  }
  const record = await readGalleryRecord(store, galleryId);
  // The log is read once: every count, row and the card describe the gallery as of its last entry now.
  const membership = galleryMembership(record, await readChangeLog(store, galleryId));
  const keys = galleryKeys(galleryId);
  const shards = await listCommittedShards(store, keys.shards(model));
  const sizes: number[] = [];
  let rows = 0;
  for (const shard of shards) {
    sizes.push(ShardMetaSchema.parse((await readManifest(store, keys.shard(model, shard)))!.meta).items);
    rows += liveInRange(membership, shard * record.shardSize, shard * record.shardSize + sizes[sizes.length - 1]!);
  }
  const adds = membership.adds.filter((a) => a.spaces.includes(model));
  for (const add of adds) rows += liveInRange(membership, add.firstIndex, add.firstIndex + add.count);
  const info = record.models[model];
  const lastChange = membership.log.length > 0 ? membership.log[membership.log.length - 1]!.seq : undefined;
  const asOf = lastChange === undefined ? 'no change log entries (the gallery as ingested)' : `change log entry ${lastChange} (${membership.log.length} changes)`;
  const withoutOld = membership.adds.length - adds.length;
  return {
    kind: DatasetKind.embeddings,
    id: spec,
    columns: EMBEDDING_COLUMNS,
    rows,
    description: `Image embeddings of gallery \`${galleryId}\` (${record.source.kind} source, ${membership.live} live items: `
      + `${record.items} ingested, ${membership.added} added, ${membership.deletedCount} deleted) under its ${model} model `
      + `(${info.dim} dimensions), as of ${asOf}: the live items of ${shards.length} committed shards of ${record.shardSize} items `
      + `and of ${adds.length} added batches${withoutOld > 0 ? ` (${withoutOld} adds have no ${model}-model features and are left out)` : ''}. `
      + 'Each row is an item id (`g-<n>`), the id the image has in its source, its class name (null: unlabelled), the shard '
      + '(ingested items) or change log entry (added items) it came from, and its float32 embedding as the pipeline computed it. '
      + 'Deleted items are left out.',
    provenance: {
      gallery: galleryId, model, dim: info.dim, source: record.source.kind, shards: shards.length, items: record.items,
      added: membership.added, deleted: membership.deletedCount, live: membership.live, changes: membership.log.length,
      lastChange: lastChange ?? 'none', createdAt: record.createdAt,
    },
    async *batches() {
      for (const [i, shard] of shards.entries()) yield await shardRows(store, record, membership, model, shard, sizes[i]!);
      for (const add of adds) yield await addedRows(store, record, membership, model, add);
    },
  };
}

async function shardRows(store: Store, record: GalleryRecord, membership: GalleryMembership, model: 'old' | 'new', shard: number, size: number): Promise<Row[]> {
  const keys = galleryKeys(record.id);
  const dim = record.models[model].dim;
  const { features, ids } = await readEmbeddingShard(store, keys.shard(model, shard), { rows: size, dim, model });
  const items = await readShardItems(store, keys.shard('images', shard));
  const start = shard * record.shardSize;
  const out: Row[] = [];
  ids.forEach((id, row) => {
    if (items.ids[row] !== id || id !== galleryItemId(start + row)) {
      throw new DataCorruptError(`gallery "${record.id}": ${model} shard ${shard} row ${row} is ${id}, its image shard lists ${items.ids[row] ?? 'nothing'} (expected ${galleryItemId(start + row)})`);
    }
    if (membership.deleted[start + row]) return;
    const label = items.labels[row]!;
    out.push({
      id, source_id: items.sourceIds[row], class_name: label === NO_LABEL ? null : record.classes[label] ?? null, shard, added_in: null,
      embedding: Array.from(features.data.subarray(row * dim, (row + 1) * dim)),
    });
  });
  return out;
}

async function addedRows(store: Store, record: GalleryRecord, membership: GalleryMembership, model: 'old' | 'new', add: AddEntry): Promise<Row[]> {
  const features = await readAddedFeatures(store, record, add, model);
  const items = await readAddedItems(store, add.batch);
  if (!features || items.sourceIds.length < add.count) {
    throw new DataCorruptError(`gallery "${record.id}": change ${add.seq} adds ${add.count} items, its batch ${add.batch} holds ${items.sourceIds.length}${features ? '' : ` and no ${model}-model features`}`);
  }
  const dim = features.dim;
  const out: Row[] = [];
  for (let row = 0; row < add.count; row++) {
    if (membership.deleted[add.firstIndex + row]) continue;
    out.push({
      id: galleryItemId(add.firstIndex + row), source_id: items.sourceIds[row], class_name: items.classNames[row] ?? null, shard: null,
      added_in: add.seq, embedding: Array.from(features.data.subarray(row * dim, (row + 1) * dim)),
    });
  }
  return out;
}
