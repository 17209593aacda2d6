import { InvalidInputError } from '../../errors.ts';
import { sha256 } from '../../store/batch.ts';
import type { Store } from '../../store/store.ts';
import { isBuiltinDataset } from '../datasets/builtin.ts';
import { OnnxEmbedder } from '../embedder.ts';
import { commitGalleryModels } from './gallery-models.ts';
import { createGalleryRecord, findGalleryRecord, galleryShards, type GalleryRecord } from './gallery-record.ts';
import { readGalleryState, writeGalleryState } from './gallery-state.ts';
import { describeRecordDifference, ingestFingerprint } from './ingest-fingerprint.ts';
import { checkTrainedPsi, readModelBytes, resolveModelFiles, type IngestModelOptions } from './ingest-models.ts';
import { commitGalleryShards, commitQueryShards, type IngestProgress } from './ingest-shards.ts';
import { loadIngestSource, type IngestSourceOptions } from './ingest-source.ts';
import { GalleryIdSchema } from './keys.ts';
import { assertEmbedderFitsImages } from './model-checks.ts';

export interface IngestOptions extends IngestSourceOptions {
  /** Default: the dataset name (plus `-all` for the full split), or the folder's name. */
  readonly galleryId?: string;
  /** Items per shard. Default 1000. */
  readonly shardSize?: number;
  readonly models?: IngestModelOptions;
  readonly intraOpNumThreads?: number;
  readonly onProgress?: IngestProgress;
}

export interface IngestSummary {
  readonly gallery: string;
  /** False when an identical gallery already existed (nothing was written). */
  readonly created: boolean;
  readonly items: number;
  readonly queries: number;
  readonly shards: number;
  readonly shardSize: number;
  readonly dims: { readonly old: number; readonly new: number };
  readonly psi: 'trained' | 'online';
}

/**
 * Ingests a gallery into the store under `backfill/galleries/<id>/`:
 *
 * ```
 * models/            old.onnx, new.onnx[, psi.onnx]             (one committed batch)
 * images/shard-N/    pixels.npy (uint8 [n,H,W,C]), items.json   (item ids, source ids, labels)
 * queries/shard-N/   the held-out query images, same format
 * old/shard-N/       embeddings.npy (float32 [n,d_old]), ids.json: the index before the upgrade
 * new/shard-N/       the same for the new model, written by the backfill workflow
 * psi/fit-…/         online ψ fits (weights.npy, bias.npy), written by the workflow
 * state.json         status, the gallery's model, current ψ
 * gallery.json       the record, written last: a gallery exists once all of it is committed
 * ```
 *
 * Gallery items are dealt into shards in a seeded random order (the paper's random backfill order). Every batch is
 * committed create-only, so an interrupted ingest run again finishes without rewriting what is there; a different
 * ingest under the same id is refused.
 *
 * @example
 * const summary = await ingestGallery(store, { dataset: 'fashion-mnist', shardSize: 1000 });
 * summary.shards; // 20 (19,600 gallery images)
 */
export async function ingestGallery(store: Store, options: IngestOptions): Promise<IngestSummary> {
  const galleryId = GalleryIdSchema.parse(options.galleryId ?? defaultGalleryId(options));
  const shardSize = options.shardSize ?? 1000;
  if (!(Number.isInteger(shardSize) && shardSize > 0)) throw new InvalidInputError(`shard size must be a positive integer, got ${shardSize}`);
  const files = resolveModelFiles(options.dataset, options.models);
  const bytes = await readModelBytes(files);
  const oldModel = await OnnxEmbedder.load(files.old, { intraOpNumThreads: options.intraOpNumThreads });
  const newModel = await OnnxEmbedder.load(files.new, { intraOpNumThreads: options.intraOpNumThreads });
  try {
    const source = await loadIngestSource(options, oldModel);
    const image = { height: source.gallery.height, width: source.gallery.width, channels: source.gallery.channels as 1 | 3 };
    assertEmbedderFitsImages(oldModel, image, 'old');
    assertEmbedderFitsImages(newModel, image, 'new');
    const psi = files.psi && bytes.psi ? await checkTrainedPsi(files.psi, bytes.psi, newModel.outputDim, oldModel.outputDim) : undefined;
    const descriptor: Omit<GalleryRecord, 'fingerprint' | 'createdAt'> = {
      version: 1, id: galleryId, source: source.source, image, toGrayscale: options.toGrayscale ?? false, classes: [...source.classes],
      items: source.gallery.ids.length, queries: source.queries.ids.length, shardSize, orderSeed: options.orderSeed ?? 1,
      models: {
        old: { sha256: sha256(bytes.old), source: files.old, dim: oldModel.outputDim },
        new: { sha256: sha256(bytes.new), source: files.new, dim: newModel.outputDim },
        ...(psi ? { psi } : {}),
      },
    };
    const fingerprint = ingestFingerprint(descriptor, source.gallery.ids, source.queries.ids);
    const existing = await findGalleryRecord(store, galleryId);
    if (existing && existing.fingerprint !== fingerprint) throw describeRecordDifference(existing, descriptor, oldModel);
    if (existing) return summarise(existing, false);

    await commitGalleryModels(store, galleryId, bytes, fingerprint);
    await commitGalleryShards(store, galleryId, source.gallery, shardSize, fingerprint, oldModel, options.onProgress);
    await commitQueryShards(store, galleryId, source.queries, shardSize, fingerprint, options.onProgress);
    if (!(await readGalleryState(store, galleryId))) {
      await writeGalleryState(store, galleryId, { status: 'ingested', model: 'old', psi: { source: psi ? 'trained' : 'none' } });
    }
    return summarise(await createGalleryRecord(store, { ...descriptor, fingerprint, createdAt: new Date().toISOString() }), true);
  } finally {
    await oldModel.release();
    await newModel.release();
  }
}

function defaultGalleryId(options: IngestOptions): string {
  if (isBuiltinDataset(options.dataset)) return options.split === 'all' ? `${options.dataset}-all` : options.dataset;
  const name = options.dataset.replace(/\/+$/, '').split('/').pop() ?? '';
  return name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'gallery';
}

function summarise(record: GalleryRecord, created: boolean): IngestSummary {
  return {
    gallery: record.id, created, items: record.items, queries: record.queries, shards: galleryShards(record).gallery,
    shardSize: record.shardSize, dims: { old: record.models.old.dim, new: record.models.new.dim }, psi: record.models.psi ? 'trained' : 'online',
  };
}
