import type { Store } from '../../../store/store.ts';
import { selectRows } from '../../features.ts';
import type { FeatureTransform } from '../../reverse-transform/feature-transform.ts';
import { addOldItems, createBackfillIndexes, removeItems, type BackfillIndexes } from '../../search/index/backfill-indexes.ts';
import { exactIndexFactory } from '../../search/index/exact-index.ts';
import { VectorIndexKind, type VectorIndexFactory } from '../../search/index/vector-index.ts';
import { readChangeLog } from '../changes/change-log.ts';
import { appendAddedContents, readGalleryContents } from '../changes/gallery-contents.ts';
import { galleryMembership, liveBackfilled, liveRows, type GalleryMembership } from '../changes/membership.ts';
import { listCommittedShards } from '../committed-shards.ts';
import { loadGalleryPsi } from '../gallery-models.ts';
import { readGalleryRecord, type GalleryRecord } from '../gallery-record.ts';
import { readGalleryState, type PsiState } from '../gallery-state.ts';
import { galleryKeys, shardCount, ShardKind } from '../keys.ts';
import { readPsiFit } from '../psi-fit.ts';
import { applyChanges, applyShards, changedItems, readShard, shardBounds } from './apply-changes.ts';
import { indexItems, readItemList, type ItemList, type ItemLookup } from './gallery-items.ts';
import { readIndexSnapshot, writeIndexSnapshot } from './index-snapshot.ts';

/** A gallery's current state for search: its items and the backfill's vector indexes. */
export interface LoadedGallery {
  readonly record: GalleryRecord;
  /** Every item ever in the gallery by index, added ones after the ingested ones (see `membership` for deletes). */
  readonly items: ItemList;
  /** The class names labels index: the record's, then those added items brought. */
  readonly classes: readonly string[];
  readonly queries: ItemList;
  /** Source id → item, for the items there now. */
  readonly lookup: ItemLookup;
  readonly membership: GalleryMembership;
  /** Old features of the items not yet backfilled, old and new features of the backfilled and added ones. */
  readonly indexes: BackfillIndexes;
  readonly factory: VectorIndexFactory;
  /** New-model shards applied to `indexes`, ascending. */
  readonly newShards: readonly number[];
  /** Change log entries applied to `indexes`. */
  readonly changesApplied: number;
  /** What the stored snapshot of the indexes holds (shards, change log entries); undefined when there is none yet. */
  readonly snapshot: { readonly shards: number; readonly changes: number } | undefined;
  /** Items there now with new-model features. */
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
 * `writeIndexSnapshot`) is loaded as is and only the shards and changes committed since are applied; without one the
 * indexes are built from the stored old- and new-model shards and added items' stored features (never by embedding
 * anything) and the snapshot is written. Deleted items are in none of them.
 *
 * @example
 * const gallery = await loadGallery(store, 'fashion-mnist');
 * gallery.backfilledItems / gallery.membership.live; // the fraction backfilled
 */
export async function loadGallery(store: Store, galleryId: string, options: LoadGalleryOptions = {}): Promise<LoadedGallery> {
  const factory = options.vectorIndex ?? exactIndexFactory;
  const record = await readGalleryRecord(store, galleryId);
  const log = await readChangeLog(store, galleryId);
  const membership = galleryMembership(record, log);
  const [contents, queries] = await Promise.all([readGalleryContents(store, record, membership), readItemList(store, record, ShardKind.queries)]);
  const snapshot = await readIndexSnapshot(store, record, factory);
  let indexes = snapshot?.indexes;
  if (!indexes) {
    indexes = await createBackfillIndexes(factory, record.id, record.models.old.dim, record.models.new.dim);
    for (let s = 0; s < shardCount(record.items, record.shardSize); s++) {
      const { ids, rows } = liveRows(membership, ...shardBounds(record, s));
      await addOldItems(indexes, ids, selectRows(await readShard(store, record, s, 'old'), rows));
    }
    // An index in a service may hold vectors of a build that stopped before its first snapshot.
    if (factory.kind === VectorIndexKind.s3vectors && membership.deletedCount > 0) await removeItems(indexes, deletedIds(membership));
  }
  const base: LoadedGallery = {
    record, items: contents.items, classes: contents.classes, queries, lookup: indexItems(contents.items, queries, membership.deleted), membership,
    indexes, factory, newShards: snapshot?.shards ?? [], changesApplied: snapshot?.changes ?? 0,
    snapshot: snapshot ? { shards: snapshot.shards.length, changes: snapshot.changes } : undefined,
    backfilledItems: liveBackfilled(record, membership, snapshot?.shards ?? []), psiState: { source: 'none' }, psi: undefined,
  };
  return refreshGallery(store, base);
}

/**
 * The same gallery after the backfill moved on or items were added or deleted: applies only newly committed
 * new-model shards and change log entries to the indexes (a wave costs its own size) and reloads a changed ψ;
 * returns `loaded` itself when nothing changed. Indexes other than exact (which loads from the shards themselves)
 * are written back to the store after a build from scratch, once a tenth of the gallery's shards or items changed
 * since the last snapshot, and when the backfill completes, so a restarted server or a new Lambda applies at most a
 * tenth of the gallery.
 */
export async function refreshGallery(store: Store, loaded: LoadedGallery): Promise<LoadedGallery> {
  const { record, indexes } = loaded;
  const keys = galleryKeys(record.id);
  const [committed, state, log] = await Promise.all([
    listCommittedShards(store, keys.shards(ShardKind.new)), readGalleryState(store, record.id), readChangeLog(store, record.id),
  ]);
  const psiState: PsiState = state?.psi ?? { source: record.models.psi ? 'trained' : 'none' };
  const applied = new Set(loaded.newShards);
  const fresh = committed.filter((s) => !applied.has(s));
  const entries = log.slice(loaded.changesApplied);
  const psiChanged = JSON.stringify(psiState) !== JSON.stringify(loaded.psiState);
  const unsaved = loaded.factory.kind !== VectorIndexKind.exact && loaded.snapshot === undefined;
  if (fresh.length === 0 && entries.length === 0 && !psiChanged && !unsaved) return loaded;
  const membership = entries.length > 0 ? galleryMembership(record, log) : loaded.membership;
  // Deletes first, then adds and waves filtered by every delete known now, so no order of commits brings an item back.
  await applyChanges(store, record, indexes, membership, entries);
  await applyShards(store, record, indexes, membership, fresh);
  let contents = { items: loaded.items, classes: loaded.classes }, lookup = loaded.lookup;
  if (entries.length > 0) {
    contents = await appendAddedContents(store, contents, entries.filter((e) => e.kind === 'add'));
    lookup = indexItems(contents.items, loaded.queries, membership.deleted);
  }
  const newShards = [...loaded.newShards, ...fresh].sort((a, b) => a - b);
  let snapshot = loaded.snapshot;
  const total = shardCount(record.items, record.shardSize);
  if (loaded.factory.kind !== VectorIndexKind.exact && snapshotDue(newShards.length, log, snapshot, total, record.items)) {
    await writeIndexSnapshot(store, record, indexes, newShards, log.length);
    snapshot = { shards: newShards.length, changes: log.length };
  }
  const psi = psiChanged || !loaded.psi ? await loadPsi(store, record, psiState) : loaded.psi;
  return {
    ...loaded, ...contents, lookup, membership, newShards, changesApplied: log.length, snapshot,
    backfilledItems: liveBackfilled(record, membership, newShards), psiState, psi,
  };
}

/** After a build from scratch, once a tenth of the shards or items changed, and when the backfill is complete. */
function snapshotDue(applied: number, log: Parameters<typeof changedItems>[0], snapshot: LoadedGallery['snapshot'], total: number, items: number): boolean {
  if (snapshot === undefined) return true;
  const shardsChanged = applied - snapshot.shards;
  const itemsChanged = changedItems(log.slice(snapshot.changes));
  return shardsChanged >= Math.max(1, Math.ceil(total / 10)) || itemsChanged >= Math.max(1, Math.ceil(items / 10)) ||
    (applied === total && shardsChanged + itemsChanged > 0);
}

function deletedIds(membership: GalleryMembership): Int32Array {
  const ids: number[] = [];
  membership.deleted.forEach((d, i) => d && ids.push(i));
  return Int32Array.from(ids);
}

async function loadPsi(store: Store, record: GalleryRecord, state: PsiState): Promise<FeatureTransform | undefined> {
  if (record.models.psi) return loadGalleryPsi(store, record);
  if (state.source !== 'online') return undefined;
  return readPsiFit(store, record, state.batch, `online ${state.method} ψ (${state.pairs} pairs, ${state.shards} shards)`);
}
