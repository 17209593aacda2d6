import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConflictError, InvalidInputError, NotFoundError } from '../../errors.ts';
import { sha256 } from '../../store/batch.ts';
import type { Store } from '../../store/store.ts';
import { NO_LABEL } from '../datasets/image-set.ts';
import { createFeatureMatrix } from '../features.ts';
import { preprocessImage, type ImageLimits, type ImageTensor } from '../images/preprocess.ts';
import { CardEmbedder } from '../models/card-embedder.ts';
import { loadModelCard, type LoadedModelCard, type ModelCard } from '../models/model-card.ts';
import { describeSource, readImageSource, type OpenSourceStore, type SourceItem } from '../sources/image-source.ts';
import { commitEmbeddingShard } from './embedding-shard.ts';
import { commitGalleryBatch } from './gallery-batch.ts';
import { commitGalleryModels, MODEL_FILES } from './gallery-models.ts';
import { createGalleryRecord, findGalleryRecord, type GalleryRecord } from './gallery-record.ts';
import { readGalleryState, writeGalleryState } from './gallery-state.ts';
import { ITEMS_FILE, shardItemsJson, type ShardItems, type ShardSourceRef } from './image-shard.ts';
import type { IngestSummary } from './ingest.ts';
import type { IngestProgress } from './ingest-shards.ts';
import { galleryItemId, galleryKeys, GalleryIdSchema, queryItemId, ShardKind } from './keys.ts';

export interface StreamIngestOptions extends ImageLimits {
  /** A folder or an `s3://bucket/prefix` of JPEG/PNG/WebP images (first sub-folder = label). */
  readonly dataset: string;
  readonly galleryId: string;
  /** Model card files of the old and the new embedder. */
  readonly oldCard: string;
  readonly newCard: string;
  /** Items per shard. Default 1000. */
  readonly shardSize?: number;
  /** Share of items held out as queries, chosen by a hash of the source id (stable, streamable). Default 0.05. */
  readonly queryFraction?: number;
  /** Items listed and read per page. Default 256. */
  readonly pageSize?: number;
  readonly openStore?: OpenSourceStore;
  readonly onProgress?: IngestProgress;
}

/**
 * Ingests a photo gallery by streaming its source: pages are listed and read, each image preprocessed for the old
 * model as its card says and embedded, and every `shardSize` items one shard is committed, `images/shard-N/items.json`
 * (item ids, source ids, labels, each object's SHA-256 and ETag; no pixels) beside `old/shard-N` (embeddings). Only
 * one shard is held in memory. Held-out queries are picked by a hash of the source id. The record, written last,
 * carries both cards. Re-running an interrupted ingest of the same source and cards rewrites none of the committed
 * batches (they are create-only and stamped with the ingest's fingerprint).
 *
 * @example
 * await ingestPhotoGallery(store, { dataset: 's3://photos/2026', galleryId: 'photos', oldCard: 'models/photos/old.card.json', newCard: 'models/photos/new.card.json', openStore });
 */
export async function ingestPhotoGallery(store: Store, options: StreamIngestOptions): Promise<IngestSummary> {
  const galleryId = GalleryIdSchema.parse(options.galleryId);
  const shardSize = options.shardSize ?? 1000;
  const queryFraction = options.queryFraction ?? 0.05;
  if (!(Number.isInteger(shardSize) && shardSize > 0)) throw new InvalidInputError(`shard size must be a positive integer, got ${shardSize}`);
  if (!(queryFraction >= 0 && queryFraction < 1)) throw new InvalidInputError(`query fraction must be in [0, 1), got ${queryFraction}`);
  const { kind, uri } = describeSource(options.dataset);
  if (kind === 'builtin') throw new InvalidInputError('built-in datasets are ingested from their decoded images; give a folder or an s3:// prefix');
  const cards = { old: await loadModelCard(options.oldCard), new: await loadModelCard(options.newCard) };
  const bytes = { old: await readModel(cards.old), new: await readModel(cards.new) };
  const stored = (card: LoadedModelCard, role: 'old' | 'new'): ModelCard => {
    const { cardPath: _p, modelPath: _m, channels: _c, ...rest } = card;
    return { ...rest, model: MODEL_FILES[role] };
  };
  const recordCards = { old: stored(cards.old, 'old'), new: stored(cards.new, 'new') };
  const models = {
    old: { sha256: sha256(bytes.old), source: cards.old.modelPath, dim: cards.old.output.dim },
    new: { sha256: sha256(bytes.new), source: cards.new.modelPath, dim: cards.new.output.dim },
  };
  const fingerprint = sha256(new TextEncoder().encode(JSON.stringify({ uri, shardSize, queryFraction, cards: recordCards, models: [models.old.sha256, models.new.sha256] }))).slice(0, 16);
  const existing = await findGalleryRecord(store, galleryId);
  if (existing && existing.fingerprint !== fingerprint) {
    throw new ConflictError(`gallery "${galleryId}" already exists from another source, models or settings; pick another --gallery id (a gallery's shards are never overwritten)`);
  }
  if (existing) return summary(existing, false);

  const oldModel = await CardEmbedder.open(cards.old, { bytes: bytes.old, intraOpNumThreads: 1 });
  await CardEmbedder.open(cards.new, { bytes: bytes.new, intraOpNumThreads: 1 }).then((e) => e.release());
  try {
    await commitGalleryModels(store, galleryId, bytes, fingerprint);
    const keys = galleryKeys(galleryId);
    const classes = new Map<string, number>();
    const parts = { gallery: new PendingShard(), queries: new PendingShard() };
    const counts = { gallery: 0, queries: 0, gShard: 0, qShard: 0 };
    const flushGallery = async () => {
      const shard = parts.gallery.take();
      const ids = shard.sourceIds.map((_, i) => galleryItemId(counts.gallery - shard.sourceIds.length + i));
      const prefix = keys.shard(ShardKind.images, counts.gShard);
      await commitGalleryBatch(store, prefix, [{ name: ITEMS_FILE, body: shardItemsJson({ ids, ...shard.items }) }], { ingest: fingerprint, items: ids.length });
      const dim = cards.old.output.dim;
      const data = new Float32Array(shard.features.length * dim);
      shard.features.forEach((f, i) => data.set(f, i * dim));
      const features = createFeatureMatrix(data, dim);
      await commitEmbeddingShard(store, keys.shard(ShardKind.old, counts.gShard), { features, ids }, { ingest: fingerprint, model: 'old' });
      counts.gShard++;
    };
    const flushQueries = async () => {
      const shard = parts.queries.take();
      const ids = shard.sourceIds.map((_, i) => queryItemId(counts.queries - shard.sourceIds.length + i));
      await commitGalleryBatch(store, keys.shard(ShardKind.queries, counts.qShard), [{ name: ITEMS_FILE, body: shardItemsJson({ ids, ...shard.items }) }], { ingest: fingerprint, items: ids.length });
      counts.qShard++;
    };
    for await (const page of readImageSource(options.dataset, { pageSize: options.pageSize, openStore: options.openStore })) {
      const read = await Promise.all(page.map(async (item) => ({ item, bytes: await item.read() })));
      const galleryItems: { item: SourceItem; label: number; ref: ShardSourceRef; tensor: ImageTensor }[] = [];
      for (const { item, bytes: body } of read) {
        const label = item.label === undefined ? NO_LABEL : classIndex(classes, item.label);
        const ref = { sha256: sha256(body), bytes: body.length, ...(item.etag ? { etag: item.etag } : {}) };
        if (isQuery(item.sourceId, queryFraction)) {
          // Decoded too, so a hostile query image is refused at ingest like any other.
          await preprocessImage(body, cards.new, `${uri}/${item.sourceId}`, options);
          parts.queries.add(item.sourceId, label, ref);
          counts.queries++;
          if (parts.queries.size === shardSize) await flushQueries();
          continue;
        }
        galleryItems.push({ item, label, ref, tensor: await preprocessImage(body, cards.old, `${uri}/${item.sourceId}`, options) });
      }
      const features = galleryItems.length > 0 ? await oldModel.embed(galleryItems.map((g) => g.tensor)) : undefined;
      for (let i = 0; i < galleryItems.length; i++) {
        parts.gallery.add(galleryItems[i].item.sourceId, galleryItems[i].label, galleryItems[i].ref);
        parts.gallery.features.push(features!.data.subarray(i * features!.dim, (i + 1) * features!.dim));
        counts.gallery++;
        if (parts.gallery.size === shardSize) await flushGallery();
      }
      options.onProgress?.(counts.gallery + counts.queries, 0, 'images read, embedded with the old model and sharded');
    }
    if (parts.gallery.size > 0) await flushGallery();
    if (parts.queries.size > 0) await flushQueries();
    if (counts.gallery === 0) throw new InvalidInputError(`${uri}: every image was held out as a query; lower the query fraction`);
    if (!(await readGalleryState(store, galleryId))) await writeGalleryState(store, galleryId, { status: 'ingested', model: 'old', psi: { source: 'none' } });
    const record: GalleryRecord = {
      version: 1, id: galleryId, fingerprint, createdAt: new Date().toISOString(), source: { kind: 'stream', uri, queryFraction },
      image: { height: cards.old.input.height, width: cards.old.input.width, channels: cards.old.channels }, toGrayscale: false,
      classes: [...classes.keys()], items: counts.gallery, queries: counts.queries, shardSize, orderSeed: 0, models, cards: recordCards,
    };
    return summary(await createGalleryRecord(store, record), true);
  } finally {
    await oldModel.release();
  }
}

/** The items of the shard being filled. */
class PendingShard {
  sourceIds: string[] = [];
  labels: number[] = [];
  refs: ShardSourceRef[] = [];
  features: Float32Array[] = [];
  get size(): number {
    return this.sourceIds.length;
  }
  add(sourceId: string, label: number, ref: ShardSourceRef): void {
    this.sourceIds.push(sourceId);
    this.labels.push(label);
    this.refs.push(ref);
  }
  take(): { sourceIds: string[]; features: Float32Array[]; items: Omit<ShardItems, 'ids'> } {
    const taken = { sourceIds: this.sourceIds, features: this.features, items: { sourceIds: this.sourceIds, labels: this.labels, refs: this.refs } };
    this.sourceIds = [];
    this.labels = [];
    this.refs = [];
    this.features = [];
    return taken;
  }
}

/** Held out as a query when the first 32 bits of SHA-256(source id) fall below the fraction: stable across runs. */
export function isQuery(sourceId: string, fraction: number): boolean {
  if (fraction <= 0) return false;
  const hex = sha256(new TextEncoder().encode(sourceId)).slice(0, 8);
  return Number.parseInt(hex, 16) / 2 ** 32 < fraction;
}

/** The class index of a label folder name: classes are numbered in the order the source lists them (any number). */
function classIndex(classes: Map<string, number>, label: string): number {
  let index = classes.get(label);
  if (index === undefined) {
    index = classes.size;
    classes.set(label, index);
  }
  return index;
}

async function readModel(card: LoadedModelCard): Promise<Uint8Array> {
  return readFile(card.modelPath).then((b) => new Uint8Array(b), (cause: unknown) => {
    throw new NotFoundError(`model ${card.modelPath} (card ${path.basename(card.cardPath)}) could not be read`, { cause });
  });
}

function summary(record: GalleryRecord, created: boolean): IngestSummary {
  return {
    gallery: record.id, created, items: record.items, queries: record.queries, shards: Math.ceil(record.items / record.shardSize),
    shardSize: record.shardSize, dims: { old: record.models.old.dim, new: record.models.new.dim }, psi: 'online',
  };
}
