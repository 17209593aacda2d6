import type { Store } from '../../../store/store.ts';
import { selectRows, type FeatureMatrix } from '../../features.ts';
import { applyBackfillWave, removeItems, type BackfillIndexes } from '../../search/index/backfill-indexes.ts';
import { readAddedFeatures } from '../changes/added-batch.ts';
import type { ChangeEntry } from '../changes/change-log.ts';
import { liveRows, type GalleryMembership } from '../changes/membership.ts';
import { readEmbeddingShard } from '../embedding-shard.ts';
import type { GalleryRecord } from '../gallery-record.ts';
import { galleryKeys, ShardKind, shardRange } from '../keys.ts';

/**
 * Applies change log entries to the indexes: a delete removes its items from all three, an add puts its live items'
 * new features in `new` and old features (when it has them) in `oldBackfilled`, as a backfilled item's. Idempotent,
 * so entries a crashed process applied to an index in a service can be applied again.
 */
export async function applyChanges(
  store: Store, record: GalleryRecord, indexes: BackfillIndexes, membership: GalleryMembership, entries: readonly ChangeEntry[],
): Promise<void> {
  const removed = entries.flatMap((e) => (e.kind === 'delete' ? e.indices : []));
  if (removed.length > 0) await removeItems(indexes, Int32Array.from(removed));
  for (const entry of entries) {
    if (entry.kind !== 'add') continue;
    const { ids, rows } = liveRows(membership, entry.firstIndex, entry.firstIndex + entry.count);
    if (ids.length === 0) continue;
    const [features, old] = await Promise.all([readAddedFeatures(store, record, entry, 'new'), readAddedFeatures(store, record, entry, 'old')]);
    await indexes.new.add(ids, pick(features!, rows));
    if (old) await indexes.oldBackfilled.add(ids, pick(old, rows));
  }
}

/** Applies newly committed new-model shards as backfill waves, leaving deleted items out. */
export async function applyShards(
  store: Store, record: GalleryRecord, indexes: BackfillIndexes, membership: GalleryMembership, shards: readonly number[],
): Promise<void> {
  for (const s of shards) {
    const [old, features] = await Promise.all([readShard(store, record, s, 'old'), readShard(store, record, s, 'new')]);
    const { ids, rows } = liveRows(membership, ...shardBounds(record, s));
    await applyBackfillWave(indexes, ids, pick(old, rows), pick(features, rows));
  }
}

/** Items a run of entries adds or deletes. */
export function changedItems(entries: readonly ChangeEntry[]): number {
  return entries.reduce((n, e) => n + (e.kind === 'add' ? e.count : e.indices.length), 0);
}

export function shardBounds(record: GalleryRecord, shard: number): [number, number] {
  const { start, end } = shardRange(shard, record.shardSize, record.items);
  return [start, end];
}

export async function readShard(store: Store, record: GalleryRecord, shard: number, model: 'old' | 'new'): Promise<FeatureMatrix> {
  const [start, end] = shardBounds(record, shard);
  const prefix = galleryKeys(record.id).shard(model === 'old' ? ShardKind.old : ShardKind.new, shard);
  return (await readEmbeddingShard(store, prefix, { rows: end - start, dim: record.models[model].dim, model })).features;
}

function pick(matrix: FeatureMatrix, rows: Uint32Array): FeatureMatrix {
  return rows.length === matrix.rows ? matrix : selectRows(matrix, rows);
}
