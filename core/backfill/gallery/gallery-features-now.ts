import { readManifest } from '../../store/batch.ts';
import type { Store } from '../../store/store.ts';
import { concatImageSets, NO_LABEL, subsetImages, type ImageSet } from '../datasets/image-set.ts';
import { createFeatureMatrix, selectRows, type FeatureMatrix } from '../features.ts';
import type { ImageLimits } from '../images/preprocess.ts';
import type { OpenSourceStore } from '../sources/image-source.ts';
import { loadGalleryCardEmbedder } from './card-models.ts';
import { readAddedFeatures, readAddedItems, readAddedPixels } from './changes/added-batch.ts';
import type { AddEntry } from './changes/change-log.ts';
import { readGalleryContents } from './changes/gallery-contents.ts';
import { liveRows, type GalleryMembership } from './changes/membership.ts';
import { readEmbeddingShard } from './embedding-shard.ts';
import { loadGalleryEmbedder } from './gallery-models.ts';
import type { GalleryRecord } from './gallery-record.ts';
import { readImageShard, readShardItems, readShardPixels } from './image-shard.ts';
import { galleryKeys, shardCount, ShardKind, shardRange } from './keys.ts';
import { embedSourceRefs, type SourceRef } from './source-embed.ts';

export interface FeaturesNowOptions extends ImageLimits {
  readonly openStore?: OpenSourceStore;
}

/** Old- and new-model features of a set of items, row for row, with their class indices. */
export interface LabelledPairs {
  readonly old: FeatureMatrix;
  readonly new: FeatureMatrix;
  readonly labels: Int32Array;
}

/** Same session settings as the backfill's shard step, so one process shares the session. */
const SESSION = { batchSize: 256, intraOpNumThreads: 1 } as const;

/**
 * Old and new features of the items a gallery holds now (deleted ones left out, added ones in), in index order, for
 * either kind of gallery: the stored embeddings where they exist, and the rest embedded now from what the gallery
 * keeps (a stored-image gallery's pixels, a streamed one's source objects, hash-checked): new features of shards not
 * backfilled yet, old ones of items added after the old space retired. Also says how many items were backfilled.
 *
 * @example
 * const { old, new: next, labels, backfilled } = await readGalleryFeaturesNow(store, record, membership, { openStore });
 */
export async function readGalleryFeaturesNow(
  store: Store, record: GalleryRecord, membership: GalleryMembership, options: FeaturesNowOptions = {},
): Promise<LabelledPairs & { backfilled: number }> {
  const keys = galleryKeys(record.id);
  const { items } = await readGalleryContents(store, record, membership);
  const parts: { old: FeatureMatrix[]; new: FeatureMatrix[] } = { old: [], new: [] };
  const indices: number[] = [];
  let backfilled = 0;
  for (let s = 0; s < shardCount(record.items, record.shardSize); s++) {
    const { start, end } = shardRange(s, record.shardSize, record.items);
    const { ids, rows } = liveRows(membership, start, end);
    const read = async (role: 'old' | 'new') => {
      const shard = await readEmbeddingShard(store, keys.shard(role === 'old' ? ShardKind.old : ShardKind.new, s), { rows: end - start, dim: record.models[role].dim, model: role });
      return pickRows(shard.features, rows);
    };
    const isBackfilled = (await readManifest(store, keys.shard(ShardKind.new, s))) !== undefined;
    parts.old.push(await read('old'));
    parts.new.push(isBackfilled ? await read('new') : await embedShardRows(store, record, s, rows, options));
    if (isBackfilled) backfilled += rows.length;
    indices.push(...ids);
  }
  for (const add of membership.adds) {
    const { ids, rows } = liveRows(membership, add.firstIndex, add.firstIndex + add.count);
    parts.new.push(pickRows((await readAddedFeatures(store, record, add, 'new'))!, rows));
    const old = await readAddedFeatures(store, record, add, 'old');
    parts.old.push(old ? pickRows(old, rows) : await embedAddedRows(store, record, add, rows, options));
    backfilled += rows.length;
    indices.push(...ids);
  }
  const labels = Int32Array.from(indices, (i) => items.labels[i]);
  return { old: concatFeatures(parts.old, record.models.old.dim), new: concatFeatures(parts.new, record.models.new.dim), labels, backfilled };
}

/**
 * The held-out queries with a label, embedded with both models: a stored-image gallery's query pixels, or a streamed
 * gallery's query objects read again from its source. `maxQueries` takes that many, evenly spaced.
 */
export async function readLabelledQueries(store: Store, record: GalleryRecord, options: FeaturesNowOptions & { maxQueries?: number } = {}): Promise<LabelledPairs> {
  const keys = galleryKeys(record.id);
  const shards = Array.from({ length: shardCount(record.queries, record.shardSize) }, (_, s) => keys.shard(ShardKind.queries, s));
  if (record.source.kind === 'stream') {
    const all: (SourceRef & { label: number })[] = [];
    for (const prefix of shards) {
      const shard = await readShardItems(store, prefix);
      shard.sourceIds.forEach((sourceId, i) => shard.labels[i] !== NO_LABEL && all.push({ sourceId, sha256: shard.refs?.[i]?.sha256, label: shard.labels[i] }));
    }
    const picked = evenlySpaced(all, options.maxQueries);
    const embed = async (role: 'old' | 'new') => embedSourceRefs(record.source.kind === 'stream' ? record.source.uri : '', picked, await loadGalleryCardEmbedder(store, record, role), options);
    return { old: await embed('old'), new: await embed('new'), labels: Int32Array.from(picked, (q) => q.label) };
  }
  const sets: ImageSet[] = [];
  for (const prefix of shards) {
    const shard = await readImageShard(store, prefix, record.image);
    sets.push(subsetImages(shard, Array.from(shard.labels.keys()).filter((i) => shard.labels[i] !== NO_LABEL)));
  }
  const labelled = concatImageSets(sets);
  const images = subsetImages(labelled, evenlySpaced(Array.from(labelled.ids, (_, i) => i), options.maxQueries));
  const embed = async (role: 'old' | 'new') => (await loadGalleryEmbedder(store, record, role, SESSION)).embedImages(images);
  return { old: await embed('old'), new: await embed('new'), labels: images.labels };
}

/** New-model features of the given rows of a shard the backfill has not reached: embedded now, none written. */
async function embedShardRows(store: Store, record: GalleryRecord, shard: number, rows: Uint32Array, options: FeaturesNowOptions): Promise<FeatureMatrix> {
  const prefix = galleryKeys(record.id).shard(ShardKind.images, shard);
  if (record.source.kind === 'stream') {
    const items = await readShardItems(store, prefix);
    const refs = Array.from(rows, (r) => ({ sourceId: items.sourceIds[r], sha256: items.refs?.[r]?.sha256 }));
    return embedSourceRefs(record.source.uri, refs, await loadGalleryCardEmbedder(store, record, 'new'), options);
  }
  const images = subsetImages(await readShardPixels(store, prefix, record.image), rows);
  return (await loadGalleryEmbedder(store, record, 'new', SESSION)).embedImages(images);
}

/** Old-model features of the given rows of an add made after the old space retired: embedded now. */
async function embedAddedRows(store: Store, record: GalleryRecord, add: AddEntry, rows: Uint32Array, options: FeaturesNowOptions): Promise<FeatureMatrix> {
  if (record.source.kind === 'stream') {
    const added = await readAddedItems(store, add.batch);
    const refs = Array.from(rows, (r) => ({ sourceId: added.sourceIds[r], sha256: added.refs?.[r]?.sha256 }));
    return embedSourceRefs(added.source ?? record.source.uri, refs, await loadGalleryCardEmbedder(store, record, 'old'), options);
  }
  const pixels = await readAddedPixels(store, record, add);
  const all: ImageSet = { ids: Array.from({ length: add.count }, (_, i) => String(i)), labels: new Int32Array(add.count).fill(NO_LABEL), pixels, ...record.image };
  return (await loadGalleryEmbedder(store, record, 'old', SESSION)).embedImages(subsetImages(all, rows));
}

function pickRows(features: FeatureMatrix, rows: Uint32Array): FeatureMatrix {
  return rows.length === features.rows ? features : selectRows(features, rows);
}

function concatFeatures(parts: readonly FeatureMatrix[], dim: number): FeatureMatrix {
  const out = new Float32Array(parts.reduce((n, p) => n + p.rows, 0) * dim);
  let offset = 0;
  for (const part of parts) {
    out.set(part.data, offset);
    offset += part.data.length;
  }
  return createFeatureMatrix(out, dim);
}

function evenlySpaced<T>(all: readonly T[], max = Infinity): T[] {
  const count = Math.min(all.length, max);
  return Array.from({ length: count }, (_, i) => all[Math.floor((i * all.length) / count)]);
}
