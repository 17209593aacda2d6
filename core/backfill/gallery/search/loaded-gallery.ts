import type { Store } from '../../../store/store.ts';
import { createFeatureMatrix, type FeatureMatrix } from '../../features.ts';
import type { FeatureTransform } from '../../reverse-transform/feature-transform.ts';
import { createBackfillGallery, type BackfillGallery } from '../../search/backfill-gallery.ts';
import { listCommittedShards } from '../committed-shards.ts';
import { readEmbeddingShard } from '../embedding-shard.ts';
import { loadGalleryPsi } from '../gallery-models.ts';
import { readGalleryRecord, type GalleryRecord } from '../gallery-record.ts';
import { readGalleryState, type PsiState } from '../gallery-state.ts';
import { galleryKeys, shardCount, ShardKind, shardRange } from '../keys.ts';
import { readPsiFit } from '../psi-fit.ts';
import { indexItems, readItemList, type ItemList, type ItemRef } from './gallery-items.ts';

/** A gallery's current state in memory, ready for exact merged search. */
export interface LoadedGallery {
  readonly record: GalleryRecord;
  readonly items: ItemList;
  readonly queries: ItemList;
  readonly lookup: ReadonlyMap<string, ItemRef>;
  /** Old features of every item (kept after backfill: the `old` mode searches them all). */
  readonly old: FeatureMatrix;
  /** New features of each backfilled shard. */
  readonly newShards: ReadonlyMap<number, FeatureMatrix>;
  readonly view: BackfillGallery;
  readonly backfilledItems: number;
  readonly psiState: PsiState;
  readonly psi: FeatureTransform | undefined;
}

/**
 * Loads a gallery for search: item ids and labels, every old-model shard, the backfilled new-model shards and ψ.
 *
 * @example
 * const gallery = await loadGallery(store, 'fashion-mnist');
 * gallery.backfilledItems / gallery.record.items; // the fraction backfilled
 */
export async function loadGallery(store: Store, galleryId: string): Promise<LoadedGallery> {
  const record = await readGalleryRecord(store, galleryId);
  const keys = galleryKeys(galleryId);
  const [items, queries] = await Promise.all([readItemList(store, record, ShardKind.images), readItemList(store, record, ShardKind.queries)]);
  const shards = Array.from({ length: shardCount(record.items, record.shardSize) }, (_, s) => s);
  const oldParts = await Promise.all(shards.map((s) => readShard(store, record, keys.shard(ShardKind.old, s), s, 'old')));
  const old = createFeatureMatrix(concat(oldParts), record.models.old.dim);
  const base = { record, items, queries, lookup: indexItems(items, queries), old, newShards: new Map<number, FeatureMatrix>() };
  return refreshGallery(store, { ...base, view: createBackfillGallery({ features: old }, { features: createFeatureMatrix(new Float32Array(0), record.models.new.dim) }), backfilledItems: 0, psiState: { source: 'none' }, psi: undefined });
}

/**
 * The same gallery after the backfill moved on: reads only newly committed new-model shards and a changed ψ; returns
 * `loaded` itself when nothing changed.
 */
export async function refreshGallery(store: Store, loaded: LoadedGallery): Promise<LoadedGallery> {
  const { record } = loaded;
  const keys = galleryKeys(record.id);
  const [committed, state] = await Promise.all([listCommittedShards(store, keys.shards(ShardKind.new)), readGalleryState(store, record.id)]);
  const psiState: PsiState = state?.psi ?? { source: record.models.psi ? 'trained' : 'none' };
  const shardsChanged = committed.length !== loaded.newShards.size || committed.some((s) => !loaded.newShards.has(s));
  const psiChanged = JSON.stringify(psiState) !== JSON.stringify(loaded.psiState);
  if (!shardsChanged && !psiChanged) return loaded;
  const features = await Promise.all(committed.map((s) => loaded.newShards.get(s) ?? readShard(store, record, keys.shard(ShardKind.new, s), s, 'new')));
  const newShards = new Map(committed.map((s, i) => [s, features[i]]));
  const view = shardsChanged ? buildView(record, loaded.old, newShards) : loaded.view;
  const psi = psiChanged || !loaded.psi ? await loadPsi(store, record, psiState) : loaded.psi;
  return { ...loaded, newShards, view, backfilledItems: view.new.features.rows, psiState, psi };
}

function buildView(record: GalleryRecord, old: FeatureMatrix, newShards: ReadonlyMap<number, FeatureMatrix>): BackfillGallery {
  const ordered = [...newShards.keys()].sort((a, b) => a - b);
  const indices: number[] = [];
  for (const s of ordered) {
    const { start, end } = shardRange(s, record.shardSize, record.items);
    for (let i = start; i < end; i++) indices.push(i);
  }
  const features = createFeatureMatrix(concat(ordered.map((s) => newShards.get(s)!)), record.models.new.dim);
  return createBackfillGallery({ features: old }, { features, indices: Int32Array.from(indices) });
}

async function loadPsi(store: Store, record: GalleryRecord, state: PsiState): Promise<FeatureTransform | undefined> {
  if (record.models.psi) return loadGalleryPsi(store, record);
  if (state.source !== 'online') return undefined;
  return readPsiFit(store, record, state.batch, `online ${state.method} ψ (${state.pairs} pairs, ${state.shards} shards)`);
}

async function readShard(store: Store, record: GalleryRecord, prefix: string, shard: number, model: 'old' | 'new'): Promise<FeatureMatrix> {
  const { start, end } = shardRange(shard, record.shardSize, record.items);
  return (await readEmbeddingShard(store, prefix, { rows: end - start, dim: record.models[model].dim, model })).features;
}

function concat(parts: readonly FeatureMatrix[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.data.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p.data, offset);
    offset += p.data.length;
  }
  return out;
}
