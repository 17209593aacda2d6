import type { Store } from '../../../store/store.ts';
import type { FeatureMatrix } from '../../features.ts';
import type { FeatureTransform } from '../../reverse-transform/feature-transform.ts';
import { addOldItems, applyBackfillWave, createBackfillIndexes, type BackfillIndexes } from '../../search/index/backfill-indexes.ts';
import { exactIndexFactory } from '../../search/index/exact-index.ts';
import { VectorIndexKind, type VectorIndexFactory } from '../../search/index/vector-index.ts';
import { itemsInShards, listCommittedShards } from '../committed-shards.ts';
import { readEmbeddingShard } from '../embedding-shard.ts';
import { loadGalleryPsi } from '../gallery-models.ts';
import { readGalleryRecord, type GalleryRecord } from '../gallery-record.ts';
import { readGalleryState, type PsiState } from '../gallery-state.ts';
import { galleryKeys, shardCount, ShardKind, shardRange } from '../keys.ts';
import { readPsiFit } from '../psi-fit.ts';
import { indexItems, readItemList, type ItemList, type ItemLookup } from './gallery-items.ts';
import { readIndexSnapshot, writeIndexSnapshot } from './index-snapshot.ts';

/** A gallery's current state for search: its items and the backfill's vector indexes. */
export interface LoadedGallery {
  readonly record: GalleryRecord;
  readonly items: ItemList;
  readonly queries: ItemList;
  readonly lookup: ItemLookup;
  /** Old features of the items not yet backfilled, old and new features of the backfilled ones. */
  readonly indexes: BackfillIndexes;
  readonly factory: VectorIndexFactory;
  /** New-model shards applied to `indexes`, ascending. */
  readonly newShards: readonly number[];
  /** How many shards the stored snapshot of the indexes holds; undefined when there is none yet. */
  readonly snapshotShards: number | undefined;
  readonly backfilledItems: number;
  readonly psiState: PsiState;
  readonly psi: FeatureTransform | undefined;
}

export interface LoadGalleryOptions {
  /** The index kind (`REVERIE_VECTOR_INDEX`); default exact. */
  readonly vectorIndex?: VectorIndexFactory;
}

/**
 * Loads a gallery for search: item ids and labels, ψ, and the indexes. A stored snapshot of the indexes (see
 * `writeIndexSnapshot`) is loaded as is and only the shards committed since are applied; without one the indexes are
 * built from the stored old- and new-model shards (never by embedding anything) and the snapshot is written.
 *
 * @example
 * const gallery = await loadGallery(store, 'fashion-mnist');
 * gallery.backfilledItems / gallery.record.items; // the fraction backfilled
 */
export async function loadGallery(store: Store, galleryId: string, options: LoadGalleryOptions = {}): Promise<LoadedGallery> {
  const factory = options.vectorIndex ?? exactIndexFactory;
  const record = await readGalleryRecord(store, galleryId);
  const [items, queries] = await Promise.all([readItemList(store, record, ShardKind.images), readItemList(store, record, ShardKind.queries)]);
  const snapshot = await readIndexSnapshot(store, record, factory);
  let indexes = snapshot?.indexes;
  if (!indexes) {
    indexes = await createBackfillIndexes(factory, record.id, record.models.old.dim, record.models.new.dim);
    for (let s = 0; s < shardCount(record.items, record.shardSize); s++) {
      await addOldItems(indexes, shardIds(record, s), await readShard(store, record, s, 'old'));
    }
  }
  const shards = snapshot?.shards ?? [];
  const base: LoadedGallery = {
    record, items, queries, lookup: indexItems(items, queries), indexes, factory, newShards: shards, snapshotShards: snapshot?.shards.length,
    backfilledItems: itemsInShards(shards, record.shardSize, record.items), psiState: { source: 'none' }, psi: undefined,
  };
  return refreshGallery(store, base);
}

/**
 * The same gallery after the backfill moved on: applies only newly committed new-model shards to the indexes (a
 * wave costs its own size) and reloads a changed ψ; returns `loaded` itself when nothing changed. Indexes other than
 * exact (which loads from the shards themselves) are written back to the store after a build from scratch, once a
 * tenth of the gallery's shards changed since the last snapshot, and when the backfill completes, so a restarted
 * server or a new Lambda applies at most a tenth of the gallery.
 */
export async function refreshGallery(store: Store, loaded: LoadedGallery): Promise<LoadedGallery> {
  const { record, indexes } = loaded;
  const keys = galleryKeys(record.id);
  const [committed, state] = await Promise.all([listCommittedShards(store, keys.shards(ShardKind.new)), readGalleryState(store, record.id)]);
  const psiState: PsiState = state?.psi ?? { source: record.models.psi ? 'trained' : 'none' };
  const applied = new Set(loaded.newShards);
  const fresh = committed.filter((s) => !applied.has(s));
  const psiChanged = JSON.stringify(psiState) !== JSON.stringify(loaded.psiState);
  const unsaved = loaded.factory.kind !== VectorIndexKind.exact && loaded.snapshotShards === undefined;
  if (fresh.length === 0 && !psiChanged && !unsaved) return loaded;
  for (const s of fresh) {
    const [old, features] = await Promise.all([readShard(store, record, s, 'old'), readShard(store, record, s, 'new')]);
    await applyBackfillWave(indexes, shardIds(record, s), old, features);
  }
  const newShards = [...loaded.newShards, ...fresh].sort((a, b) => a - b);
  let snapshotShards = loaded.snapshotShards;
  if (loaded.factory.kind !== VectorIndexKind.exact && snapshotDue(newShards.length, snapshotShards, shardCount(record.items, record.shardSize))) {
    await writeIndexSnapshot(store, record, indexes, newShards);
    snapshotShards = newShards.length;
  }
  const psi = psiChanged || !loaded.psi ? await loadPsi(store, record, psiState) : loaded.psi;
  return { ...loaded, newShards, snapshotShards, backfilledItems: itemsInShards(newShards, record.shardSize, record.items), psiState, psi };
}

/** After a build from scratch, once a tenth of the shards changed, and when the backfill is complete. */
function snapshotDue(applied: number, snapshot: number | undefined, total: number): boolean {
  if (snapshot === undefined) return true;
  const changed = applied - snapshot;
  return changed >= Math.max(1, Math.ceil(total / 10)) || (applied === total && changed > 0);
}

function shardIds(record: GalleryRecord, shard: number): Int32Array {
  const { start, end } = shardRange(shard, record.shardSize, record.items);
  return Int32Array.from({ length: end - start }, (_, i) => start + i);
}

async function loadPsi(store: Store, record: GalleryRecord, state: PsiState): Promise<FeatureTransform | undefined> {
  if (record.models.psi) return loadGalleryPsi(store, record);
  if (state.source !== 'online') return undefined;
  return readPsiFit(store, record, state.batch, `online ${state.method} ψ (${state.pairs} pairs, ${state.shards} shards)`);
}

async function readShard(store: Store, record: GalleryRecord, shard: number, model: 'old' | 'new'): Promise<FeatureMatrix> {
  const { start, end } = shardRange(shard, record.shardSize, record.items);
  const prefix = galleryKeys(record.id).shard(model === 'old' ? ShardKind.old : ShardKind.new, shard);
  return (await readEmbeddingShard(store, prefix, { rows: end - start, dim: record.models[model].dim, model })).features;
}
