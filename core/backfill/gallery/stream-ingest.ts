import { ConflictError, InvalidInputError } from '../../errors.ts';
import { sha256 } from '../../store/batch.ts';
import type { Store } from '../../store/store.ts';
import { NO_LABEL } from '../datasets/image-set.ts';
import { preprocessImage, type ImageLimits, type ImageTensor } from '../images/preprocess.ts';
import { CardEmbedder } from '../models/card-embedder.ts';
import { loadModelCard, readCardModel, type LoadedModelCard, type ModelCard } from '../models/model-card.ts';
import { modelIdentity } from '../models/model-identity.ts';
import { assertPsiFileMatches, psiFileOnnx, readPsiFile } from '../reverse-transform/psi-file.ts';
import { describeSource, openSourceItem, type OpenSourceStore } from '../sources/image-source.ts';
import { commitGalleryModels, MODEL_FILES } from './gallery-models.ts';
import { createGalleryRecord, findGalleryRecord, type GalleryRecord } from './gallery-record.ts';
import { readGalleryState, writeGalleryState } from './gallery-state.ts';
import type { IngestSummary } from './ingest.ts';
import type { IngestProgress } from './ingest-shards.ts';
import { GalleryIdSchema } from './keys.ts';
import { shuffledListing } from './shuffled-listing.ts';
import { StreamShards, type StreamPart } from './stream-shards.ts';

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
  /** Seed of the order items are dealt into shards in (a seeded permutation of the source). Default 1. */
  readonly orderSeed?: number;
  /** Items listed and read per page. Default 256. */
  readonly pageSize?: number;
  /**
   * Also store each gallery item's new-model input tensor in its shard (`images/shard-N/tensors.npy`), so the
   * backfill embeds from it without reading the source again. Default false: shards only reference the source.
   */
  readonly storeTensors?: boolean;
  /**
   * A trained ψ file (`reverie backfill psi train`) for exactly these two cards; it is checked against them (dims,
   * ONNX hashes, preprocessing) and stored in the gallery as `psi.onnx`. Absent: ψ is fitted online.
   */
  readonly psi?: string;
  readonly openStore?: OpenSourceStore;
  readonly onProgress?: IngestProgress;
}

/**
 * Ingests a photo gallery by streaming its source: the source is listed once into a seeded random order
 * (`shuffledListing`: shards mix the source's classes instead of following its key order), then read in pages in that
 * order, each image preprocessed for the old model as its card says and embedded, and every `shardSize` items one
 * shard is committed, `images/shard-N/items.json` (item ids, source ids, class ids, each object's SHA-256 and ETag;
 * no pixels) beside `old/shard-N` (embeddings). Only one shard and one listing bucket are held in memory. Held-out
 * queries are picked by a hash of the source id. The record, written last, carries both cards. Re-running an
 * interrupted ingest of the same source, cards and seed neither rewrites nor re-reads the shards it committed, and
 * refuses (naming the object) when the source changed in between (`StreamShards`).
 *
 * @example
 * await ingestPhotoGallery(store, { dataset: 's3://photos/2026', galleryId: 'photos', oldCard: 'models/photos/old.card.json', newCard: 'models/photos/new.card.json', openStore });
 */
export async function ingestPhotoGallery(store: Store, options: StreamIngestOptions): Promise<IngestSummary> {
  const galleryId = GalleryIdSchema.parse(options.galleryId);
  const shardSize = options.shardSize ?? 1000;
  const queryFraction = options.queryFraction ?? 0.05;
  const orderSeed = options.orderSeed ?? 1;
  if (!(Number.isInteger(shardSize) && shardSize > 0)) throw new InvalidInputError(`shard size must be a positive integer, got ${shardSize}`);
  if (!(queryFraction >= 0 && queryFraction < 1)) throw new InvalidInputError(`query fraction must be in [0, 1), got ${queryFraction}`);
  const { kind, uri } = describeSource(options.dataset);
  if (kind === 'builtin' && options.storeTensors) throw new InvalidInputError('--store-tensors applies to photo sources (a folder or an s3:// prefix with model cards); a built-in dataset gallery already stores its decoded pixels in its shards');
  if (kind === 'builtin') throw new InvalidInputError('built-in datasets are ingested from their decoded images; give a folder or an s3:// prefix');
  const storeTensors = options.storeTensors ?? false;
  const cards = { old: await loadModelCard(options.oldCard), new: await loadModelCard(options.newCard) };
  const bytes = { old: await readCardModel(cards.old), new: await readCardModel(cards.new) };
  const stored = (card: LoadedModelCard, role: 'old' | 'new'): ModelCard => {
    const { cardPath: _p, modelPath: _m, channels: _c, ...rest } = card;
    return { ...rest, model: MODEL_FILES[role] };
  };
  const recordCards = { old: stored(cards.old, 'old'), new: stored(cards.new, 'new') };
  const psi = options.psi === undefined ? undefined : await trainedPsiForCards(options.psi, cards, bytes);
  const models = {
    old: { sha256: sha256(bytes.old), source: cards.old.modelPath, dim: cards.old.output.dim },
    new: { sha256: sha256(bytes.new), source: cards.new.modelPath, dim: cards.new.output.dim },
    ...(psi ? { psi: psi.info } : {}),
  };
  const modelShas = [models.old.sha256, models.new.sha256, ...(psi ? [psi.info.sha256] : [])];
  const fingerprint = sha256(new TextEncoder().encode(JSON.stringify({ uri, shardSize, queryFraction, order: { kind: 'rank', seed: orderSeed }, ...(storeTensors ? { storedTensors: 'new' } : {}), cards: recordCards, models: modelShas }))).slice(0, 16);
  const existing = await findGalleryRecord(store, galleryId);
  if (existing && existing.fingerprint !== fingerprint && existing.orderSeed === 0) {
    throw new ConflictError(`gallery "${galleryId}" was ingested by an earlier Reverie in the source's key order (it is still served, backfilled and evaluated as it is); ingest again under another --gallery id for the seeded shard order`);
  }
  if (existing && existing.fingerprint !== fingerprint) {
    throw new ConflictError(`gallery "${galleryId}" already exists from another source, models or settings; pick another --gallery id (a gallery's shards are never overwritten)`);
  }
  if (existing) return summary(existing, false);

  const oldModel = await CardEmbedder.open(cards.old, { bytes: bytes.old, intraOpNumThreads: 1 });
  await CardEmbedder.open(cards.new, { bytes: bytes.new, intraOpNumThreads: 1 }).then((e) => e.release());
  try {
    await commitGalleryModels(store, galleryId, { ...bytes, ...(psi ? { psi: psi.onnx } : {}) }, fingerprint);
    const classes = new Map<string, number>();
    const shards = await StreamShards.open(store, { galleryId, fingerprint, shardSize, dim: cards.old.output.dim, ...(storeTensors ? { tensorsOf: cards.new } : {}) });
    for await (const page of shuffledListing(options.dataset, { seed: orderSeed, pageSize: options.pageSize, openStore: options.openStore })) {
      const dealt = page.map((item) => {
        const part: StreamPart = isQuery(item.sourceId, queryFraction) ? 'queries' : 'gallery';
        return { item, part, label: item.label === undefined ? NO_LABEL : classIndex(classes, item.label), skip: shards.assign(part) };
      });
      const bodies = await Promise.all(dealt.map((d) => (d.skip ? undefined : openSourceItem(uri, d.item.sourceId, options.openStore))));
      const tensors: (ImageTensor | undefined)[] = [];
      const newTensors: (ImageTensor | undefined)[] = [];
      for (const [i, d] of dealt.entries()) {
        const body = bodies[i], where = `${uri}/${d.item.sourceId}`;
        // Queries are decoded too, so a hostile query image is refused at ingest like any other.
        tensors.push(body && await preprocessImage(body, d.part === 'gallery' ? cards.old : cards.new, where, options));
        newTensors.push(body && storeTensors && d.part === 'gallery' ? await preprocessImage(body, cards.new, where, options) : undefined);
      }
      const embedded = dealt.flatMap((d, i) => (d.part === 'gallery' && tensors[i] ? [i] : []));
      const features = embedded.length > 0 ? await oldModel.embed(embedded.map((i) => tensors[i]!)) : undefined;
      const rowOf = new Map(embedded.map((i, row) => [i, row]));
      for (const [i, d] of dealt.entries()) {
        const body = bodies[i], row = rowOf.get(i);
        const ref = body ? { sha256: sha256(body), bytes: body.length, ...(d.item.etag ? { etag: d.item.etag } : {}) } : undefined;
        const feature = row === undefined ? undefined : features!.data.subarray(row * features!.dim, (row + 1) * features!.dim);
        await shards.add(d.part, { sourceId: d.item.sourceId, label: d.label, etag: d.item.etag, ref, feature, tensor: newTensors[i] });
      }
      options.onProgress?.(shards.counts.gallery + shards.counts.queries, 0, 'images listed in seeded order, read, embedded with the old model and sharded');
    }
    await shards.finish();
    const counts = shards.counts;
    if (counts.gallery === 0) throw new InvalidInputError(`${uri}: every image was held out as a query; lower the query fraction`);
    if (!(await readGalleryState(store, galleryId))) await writeGalleryState(store, galleryId, { status: 'ingested', model: 'old', psi: { source: psi ? 'trained' : 'none' } });
    const record: GalleryRecord = {
      version: 1, id: galleryId, fingerprint, createdAt: new Date().toISOString(), source: { kind: 'stream', uri, queryFraction },
      image: { height: cards.old.input.height, width: cards.old.input.width, channels: cards.old.channels }, toGrayscale: false,
      classes: [...classes.keys()], items: counts.gallery, queries: counts.queries, shardSize, orderSeed, models, cards: recordCards,
      ...(storeTensors ? { storedTensors: 'new' as const } : {}),
    };
    return summary(await createGalleryRecord(store, record), true);
  } finally {
    await oldModel.release();
  }
}

/** A trained ψ file checked against the cards, as the ONNX bytes the gallery stores and its record entry. */
async function trainedPsiForCards(file: string, cards: Record<'old' | 'new', LoadedModelCard>, bytes: Record<'old' | 'new', Uint8Array>) {
  const psi = await readPsiFile(file);
  assertPsiFileMatches(psi, file, { old: modelIdentity(cards.old, bytes.old), new: modelIdentity(cards.new, bytes.new) });
  const onnx = psiFileOnnx(psi);
  return { onnx, info: { sha256: sha256(onnx), source: file, inDim: psi.inDim, outDim: psi.outDim } };
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

function summary(record: GalleryRecord, created: boolean): IngestSummary {
  return {
    gallery: record.id, created, items: record.items, queries: record.queries, shards: Math.ceil(record.items / record.shardSize),
    shardSize: record.shardSize, dims: { old: record.models.old.dim, new: record.models.new.dim }, psi: record.models.psi ? 'trained' : 'online',
  };
}
