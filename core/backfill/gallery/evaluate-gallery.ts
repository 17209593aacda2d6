import { InvalidInputError } from '../../errors.ts';
import type { Store } from '../../store/store.ts';
import { NO_LABEL } from '../datasets/image-set.ts';
import { evaluateBackfill, type BackfillEvaluation } from '../eval/evaluate-backfill.ts';
import { createFeatureMatrix, type FeatureMatrix } from '../features.ts';
import type { ImageLimits } from '../images/preprocess.ts';
import { fitReverseTransform } from '../reverse-transform/fit-reverse-transform.ts';
import type { OpenSourceStore } from '../sources/image-source.ts';
import { loadGalleryCardEmbedder } from './card-models.ts';
import { listCommittedShards } from './committed-shards.ts';
import { readEmbeddingShard } from './embedding-shard.ts';
import { readGalleryRecord, type GalleryRecord } from './gallery-record.ts';
import { readShardItems } from './image-shard.ts';
import { galleryKeys, shardCount, ShardKind, shardRange } from './keys.ts';
import { embedSourceRefs } from './source-embed.ts';
import { readAddedFeatures, readAddedItems } from './changes/added-batch.ts';
import { readChangeLog } from './changes/change-log.ts';
import { readGalleryContents } from './changes/gallery-contents.ts';
import { galleryMembership } from './changes/membership.ts';

export interface GalleryEvalOptions extends ImageLimits {
  readonly openStore?: OpenSourceStore;
  /** Seed of the random backfill order of the curve. Default 1. */
  readonly seed?: number;
}

export interface GalleryEvaluation extends BackfillEvaluation {
  readonly dataset: string;
  readonly timingsMs: { readonly load: number; readonly queries: number; readonly evaluate: number };
}

/**
 * Evaluates an ingested, fully backfilled photo gallery the way `reverie backfill eval --dataset` evaluates a built-in
 * one: the gallery as its change log leaves it (deleted items out; added items in, with the embeddings made when they
 * were added, and an old-model embedding read from their source when they arrived after the old space retired), the
 * stored old and new embeddings, the held-out queries read again from the source and embedded
 * with both cards, ψ fitted (Procrustes) on every backfilled pair as the final online fit, then mAP / top-1 curves
 * over a random backfill order. Relevant = same label; unlabelled items are never relevant, unlabelled queries are
 * left out, and a gallery without labelled queries is an InvalidInputError (it has no mAP).
 *
 * @example
 * const report = await evaluateGallery(store, 'photos', { openStore });
 * report.modes['rt-merge'].relativeGain;
 */
export async function evaluateGallery(store: Store, galleryId: string, options: GalleryEvalOptions = {}): Promise<GalleryEvaluation> {
  const started = performance.now();
  const record = await readGalleryRecord(store, galleryId);
  if (record.source.kind !== 'stream') throw new InvalidInputError(`gallery "${galleryId}" holds a built-in dataset or decoded images; evaluate it with --dataset`);
  const keys = galleryKeys(galleryId);
  const shards = shardCount(record.items, record.shardSize);
  const committed = await listCommittedShards(store, keys.shards(ShardKind.new));
  if (committed.length < shards) {
    throw new InvalidInputError(`gallery "${galleryId}" is backfilled in ${committed.length} of ${shards} shards; finish it first (reverie backfill run ${galleryId})`);
  }
  const gallery = await readGalleryNow(store, record, options);
  const loaded = performance.now();
  const queryItems = await readQueryItems(store, record);
  const labelled = queryItems.filter((q) => q.label !== NO_LABEL);
  if (labelled.length === 0) throw new InvalidInputError(`gallery "${galleryId}" has no labelled queries, so it has no mAP (search works without labels)`);
  const embed = async (role: 'old' | 'new') => embedSourceRefs(record.source.kind === 'stream' ? record.source.uri : '', labelled, await loadGalleryCardEmbedder(store, record, role), options);
  const queries = { old: await embed('old'), new: await embed('new'), labels: Int32Array.from(labelled, (q) => q.label) };
  const embedded = performance.now();
  const psi = fitReverseTransform(gallery.new, gallery.old).applySync(queries.new);
  const report = evaluateBackfill({ gallery, queries, psi, seed: options.seed ?? 1 });
  return { dataset: galleryId, ...report, timingsMs: { load: loaded - started, queries: embedded - loaded, evaluate: performance.now() - embedded } };
}

/** Old and new features and labels of the items in the gallery now, in index order. */
async function readGalleryNow(store: Store, record: GalleryRecord, options: GalleryEvalOptions): Promise<{ old: FeatureMatrix; new: FeatureMatrix; labels: Int32Array }> {
  const membership = galleryMembership(record, await readChangeLog(store, record.id));
  const { items } = await readGalleryContents(store, record, membership);
  const parts = { old: [await readAll(store, record, 'old')], new: [await readAll(store, record, 'new')] };
  for (const add of membership.adds) {
    parts.new.push((await readAddedFeatures(store, record, add, 'new'))!);
    const old = await readAddedFeatures(store, record, add, 'old');
    if (old) {
      parts.old.push(old);
      continue;
    }
    const added = await readAddedItems(store, add.batch);
    const refs = added.sourceIds.map((sourceId, i) => ({ sourceId, sha256: added.refs?.[i]?.sha256 }));
    parts.old.push(await embedSourceRefs(added.source ?? (record.source.kind === 'stream' ? record.source.uri : ''), refs, await loadGalleryCardEmbedder(store, record, 'old'), options));
  }
  const live = Uint32Array.from({ length: membership.indexCount }, (_, i) => i).filter((i) => !membership.deleted[i]);
  const pick = (role: 'old' | 'new') => {
    const dim = record.models[role].dim;
    const all = new Float32Array(membership.indexCount * dim);
    let offset = 0;
    for (const part of parts[role]) {
      all.set(part.data, offset);
      offset += part.data.length;
    }
    const out = new Float32Array(live.length * dim);
    live.forEach((index, row) => out.set(all.subarray(index * dim, (index + 1) * dim), row * dim));
    return createFeatureMatrix(out, dim);
  };
  return { old: pick('old'), new: pick('new'), labels: Int32Array.from(live, (i) => items.labels[i]) };
}

async function readAll(store: Store, record: GalleryRecord, model: 'old' | 'new'): Promise<FeatureMatrix> {
  const dim = record.models[model].dim;
  const out = new Float32Array(record.items * dim);
  for (let s = 0; s < shardCount(record.items, record.shardSize); s++) {
    const { start, end } = shardRange(s, record.shardSize, record.items);
    const shard = await readEmbeddingShard(store, galleryKeys(record.id).shard(model === 'old' ? ShardKind.old : ShardKind.new, s), { rows: end - start, dim, model });
    out.set(shard.features.data, start * dim);
  }
  return createFeatureMatrix(out, dim);
}

async function readQueryItems(store: Store, record: GalleryRecord): Promise<{ sourceId: string; sha256?: string; label: number }[]> {
  const items: { sourceId: string; sha256?: string; label: number }[] = [];
  for (let s = 0; s < shardCount(record.queries, record.shardSize); s++) {
    const shard = await readShardItems(store, galleryKeys(record.id).shard(ShardKind.queries, s));
    shard.sourceIds.forEach((sourceId, i) => items.push({ sourceId, sha256: shard.refs?.[i]?.sha256, label: shard.labels[i] }));
  }
  return items;
}
