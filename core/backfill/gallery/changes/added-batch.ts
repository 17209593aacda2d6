import { z } from 'zod';
import { InvalidInputError } from '../../../errors.ts';
import { readBatchObject, sha256 } from '../../../store/batch.ts';
import { decodeNpy, encodeNpy } from '../../../store/npy.ts';
import type { Store } from '../../../store/store.ts';
import type { ImageSet } from '../../datasets/image-set.ts';
import { createFeatureMatrix, type FeatureMatrix } from '../../features.ts';
import { commitGalleryBatch, parseJsonBytes, requireManifest } from '../gallery-batch.ts';
import type { GalleryRecord } from '../gallery-record.ts';
import { galleryKeys } from '../keys.ts';
import { decodePixelNpy, encodePixelNpy } from '../pixel-npy.ts';
import type { AddEntry } from './change-log.ts';

const FILES = { pixels: 'pixels.npy', items: 'items.json', old: 'old.npy', new: 'new.npy' } as const;

/** `items.json` of an added batch: the source id and class name (null: unlabelled) of each row. */
export const AddedItemsSchema = z.object({ sourceIds: z.array(z.string()), classNames: z.array(z.string().nullable()) });
export type AddedItems = z.infer<typeof AddedItemsSchema>;

export interface AddedBatch {
  /** Images of the gallery's shape; `ids` are the source ids. */
  readonly images: ImageSet;
  readonly classNames: readonly (string | null)[];
  readonly features: { readonly old?: FeatureMatrix; readonly new: FeatureMatrix };
}

/**
 * Commits the images and embeddings of one add under `changes/added/<hash>`, named by the gallery, the source ids,
 * the class names and the pixels, so a killed add run again rewrites the same batch instead of making another.
 * Nothing refers to it until a change log entry does: an uncommitted or unreferenced batch is never served.
 */
export async function commitAddedBatch(store: Store, record: GalleryRecord, batch: AddedBatch): Promise<string> {
  const { images, classNames, features } = batch;
  const n = images.ids.length;
  if (classNames.length !== n || features.new.rows !== n || (features.old && features.old.rows !== n)) {
    throw new InvalidInputError(`an added batch of ${n} images needs as many class names and feature rows`);
  }
  const items: AddedItems = { sourceIds: [...images.ids], classNames: [...classNames] };
  const itemsJson = JSON.stringify(items);
  const name = sha256(new TextEncoder().encode(`${record.fingerprint}\n${itemsJson}\n${sha256(images.pixels)}\n${features.old ? 'old+new' : 'new'}`)).slice(0, 32);
  const prefix = galleryKeys(record.id).addedBatch(name);
  const objects = [
    { name: FILES.pixels, body: encodePixelNpy(images.pixels, [n, images.height, images.width, images.channels]) },
    { name: FILES.items, body: itemsJson },
    { name: FILES.new, body: encodeNpy(features.new.data, [n, features.new.dim]) },
    ...(features.old ? [{ name: FILES.old, body: encodeNpy(features.old.data, [n, features.old.dim]) }] : []),
  ];
  await commitGalleryBatch(store, prefix, objects, { ingest: record.fingerprint, items: n });
  return prefix;
}

const itemsCache = new Map<string, Promise<AddedItems>>();

/** Source ids and class names of an add (read once per process: batches never change). */
export function readAddedItems(store: Store, batch: string): Promise<AddedItems> {
  const key = `${store.uri}\n${batch}`;
  let pending = itemsCache.get(key);
  if (!pending) {
    pending = (async () => {
      const manifest = await requireManifest(store, batch, 'added items');
      return parseJsonBytes(await readBatchObject(store, manifest, FILES.items), `${batch}/${FILES.items}`, AddedItemsSchema);
    })();
    itemsCache.set(key, pending);
    pending.catch(() => itemsCache.delete(key));
  }
  return pending;
}

/** The stored features of an add in one space; undefined for `old` when the items were added after the old space retired. */
export async function readAddedFeatures(store: Store, record: GalleryRecord, entry: AddEntry, role: 'old' | 'new'): Promise<FeatureMatrix | undefined> {
  if (!entry.spaces.includes(role)) return undefined;
  const manifest = await requireManifest(store, entry.batch, 'added items');
  const source = `${entry.batch}/${FILES[role]}`;
  const { data, shape } = decodeNpy(await readBatchObject(store, manifest, FILES[role]), source);
  if (shape.length !== 2 || shape[0] !== entry.count || shape[1] !== record.models[role].dim) {
    throw new InvalidInputError(`${source} has shape [${shape.join(', ')}], expected [${entry.count}, ${record.models[role].dim}]`);
  }
  return createFeatureMatrix(data, shape[1]);
}

/** The pixels of an add (NHWC, the gallery's shape). */
export async function readAddedPixels(store: Store, record: GalleryRecord, entry: AddEntry): Promise<Uint8Array> {
  const manifest = await requireManifest(store, entry.batch, 'added items');
  const source = `${entry.batch}/${FILES.pixels}`;
  const { pixels, shape: [n, h, w, c] } = decodePixelNpy(await readBatchObject(store, manifest, FILES.pixels), source);
  if (n !== entry.count || h !== record.image.height || w !== record.image.width || c !== record.image.channels) {
    throw new InvalidInputError(`${source} holds ${n} ${h}x${w}x${c} images, expected ${entry.count} of the gallery's shape`);
  }
  return pixels;
}
