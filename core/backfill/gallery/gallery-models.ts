import { readBatchObject } from '../../store/batch.ts';
import type { Store } from '../../store/store.ts';
import { OnnxEmbedder, type EmbedderOptions } from '../embedder.ts';
import { OnnxTransform } from '../reverse-transform/onnx-transform.ts';
import { commitGalleryBatch, requireManifest } from './gallery-batch.ts';
import type { GalleryRecord } from './gallery-record.ts';
import { galleryKeys } from './keys.ts';
import { assertEmbedderDim, assertEmbedderFitsImages, assertPsiFits } from './model-checks.ts';

export const MODEL_FILES = { old: 'old.onnx', new: 'new.onnx', psi: 'psi.onnx' } as const;

export interface GalleryModelBytes {
  readonly old: Uint8Array;
  readonly new: Uint8Array;
  readonly psi?: Uint8Array;
}

/**
 * Copies the gallery's ONNX files into the store, so the workflow's functions (on Lambda too) and the search service
 * load exactly the models the gallery was ingested with, verified by SHA-256, from wherever they run.
 */
export async function commitGalleryModels(store: Store, galleryId: string, models: GalleryModelBytes, ingest: string): Promise<void> {
  const objects: { name: string; body: Uint8Array }[] = [{ name: MODEL_FILES.old, body: models.old }, { name: MODEL_FILES.new, body: models.new }];
  if (models.psi) objects.push({ name: MODEL_FILES.psi, body: models.psi });
  await commitGalleryBatch(store, galleryKeys(galleryId).models, objects, { ingest });
}

// Sessions are kept for the life of the process (a warm Lambda, `reverie serve`): loading one costs tens of ms.
const embedders = new Map<string, Promise<OnnxEmbedder>>();
const transforms = new Map<string, Promise<OnnxTransform>>();

/**
 * The gallery's old or new embedder, loaded once per process and checked against the gallery: input shape against
 * its images, output dimension against its index.
 *
 * @example
 * const embedder = await loadGalleryEmbedder(store, record, 'new', { intraOpNumThreads: 1 });
 */
export async function loadGalleryEmbedder(
  store: Store,
  record: GalleryRecord,
  role: 'old' | 'new',
  options: EmbedderOptions = {},
): Promise<OnnxEmbedder> {
  const info = record.models[role];
  const key = `${info.sha256}:${options.intraOpNumThreads ?? ''}:${options.batchSize ?? ''}`;
  const embedder = await cached(embedders, key, async () =>
    OnnxEmbedder.load(await readModel(store, record, MODEL_FILES[role]), options));
  assertEmbedderFitsImages(embedder, record.image, role);
  assertEmbedderDim(embedder, info.dim, role, record.id);
  return embedder;
}

/** The trained ψ given at ingest, or undefined when the gallery fits ψ online. */
export async function loadGalleryPsi(store: Store, record: GalleryRecord): Promise<OnnxTransform | undefined> {
  const info = record.models.psi;
  if (!info) return undefined;
  const psi = await cached(transforms, info.sha256, async () => OnnxTransform.load(await readModel(store, record, MODEL_FILES.psi)));
  assertPsiFits(psi, record.models.new.dim, record.models.old.dim);
  return psi;
}

async function readModel(store: Store, record: GalleryRecord, name: string): Promise<Uint8Array> {
  const manifest = await requireManifest(store, galleryKeys(record.id).models, `models of gallery "${record.id}"`);
  return readBatchObject(store, manifest, name);
}

async function cached<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let pending = cache.get(key);
  if (!pending) {
    pending = load();
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}
