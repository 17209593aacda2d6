import { z } from 'zod';
import { InvalidInputError } from '../../errors.ts';
import { readBatchObject } from '../../store/batch.ts';
import type { Store } from '../../store/store.ts';
import type { ImageSet } from '../datasets/image-set.ts';
import { commitGalleryBatch, parseJsonBytes, requireManifest } from './gallery-batch.ts';
import type { ImageShapeLike } from './model-checks.ts';
import { decodePixelNpy, encodePixelNpy } from './pixel-npy.ts';

export const PIXELS_FILE = 'pixels.npy';
export const ITEMS_FILE = 'items.json';

/** `items.json` of an image shard: item ids (`g-…`/`q-…`), the ids the images had in their source, labels. */
export const ShardItemsSchema = z.object({
  ids: z.array(z.string()),
  sourceIds: z.array(z.string()),
  labels: z.array(z.number().int().min(0).max(255)),
  /** Streamed galleries: SHA-256 of each source object's bytes at ingest (and its ETag when it had one). */
  refs: z.array(z.object({ sha256: z.string(), etag: z.string().optional(), bytes: z.number().int().nonnegative() })).optional(),
});
export type ShardItems = z.infer<typeof ShardItemsSchema>;

/** An image shard read back: an ImageSet whose ids are item ids, plus the source ids. */
export interface ImageShard extends ImageSet {
  readonly sourceIds: readonly string[];
}

/**
 * Commits one shard of images: `pixels.npy` (uint8 NHWC) and `items.json`.
 *
 * @example
 * await commitImageShard(store, keys.shard('images', 0), { ...images, sourceIds: images.ids, ids: itemIds }, fingerprint);
 */
export async function commitImageShard(store: Store, prefix: string, shard: ImageShard, ingest: string): Promise<void> {
  if (shard.sourceIds.length !== shard.ids.length || shard.labels.length !== shard.ids.length) {
    throw new InvalidInputError(`image shard ${prefix}: ids, source ids and labels differ in length`);
  }
  const items: ShardItems = { ids: [...shard.ids], sourceIds: [...shard.sourceIds], labels: Array.from(shard.labels) };
  await commitGalleryBatch(store, prefix, [
    { name: PIXELS_FILE, body: encodePixelNpy(shard.pixels, [shard.ids.length, shard.height, shard.width, shard.channels]) },
    { name: ITEMS_FILE, body: JSON.stringify(items) },
  ], { ingest, items: shard.ids.length });
}

/**
 * Reads a committed image shard, checking every object against its manifest and the pixels against the gallery's
 * image shape, so a truncated or replaced shard is reported by name instead of being embedded.
 *
 * @example
 * const shard = await readImageShard(store, keys.shard('queries', 0), record.image);
 */
export async function readImageShard(store: Store, prefix: string, shape: ImageShapeLike): Promise<ImageShard> {
  const [images, items] = await Promise.all([readShardPixels(store, prefix, shape), readShardItems(store, prefix)]);
  if (items.ids.length !== images.ids.length) throw new InvalidInputError(`${prefix}: ${images.ids.length} images but ${items.ids.length} items`);
  return { ...images, ids: items.ids, sourceIds: items.sourceIds, labels: Uint8Array.from(items.labels) };
}

/** Only the pixels of a committed image shard (ids and labels left empty): what re-embedding needs. */
export async function readShardPixels(store: Store, prefix: string, shape: ImageShapeLike): Promise<ImageShard> {
  const manifest = await requireManifest(store, prefix, 'image shard');
  const source = `${prefix}/${PIXELS_FILE}`;
  const { pixels, shape: [n, h, w, c] } = decodePixelNpy(await readBatchObject(store, manifest, PIXELS_FILE), source);
  if (h !== shape.height || w !== shape.width || c !== shape.channels) {
    throw new InvalidInputError(`${source} holds ${h}x${w}x${c} images, the gallery's are ${shape.height}x${shape.width}x${shape.channels}`);
  }
  const ids = new Array<string>(n).fill('');
  return { ids, sourceIds: ids, labels: new Uint8Array(n), pixels, height: h, width: w, channels: c };
}

/** Only the ids and labels of a committed image shard (no pixels read). */
export async function readShardItems(store: Store, prefix: string): Promise<ShardItems> {
  const manifest = await requireManifest(store, prefix, 'image shard');
  const items = parseJsonBytes(await readBatchObject(store, manifest, ITEMS_FILE), `${prefix}/${ITEMS_FILE}`, ShardItemsSchema);
  if (items.sourceIds.length !== items.ids.length || items.labels.length !== items.ids.length) {
    throw new InvalidInputError(`${prefix}/${ITEMS_FILE}: ids, source ids and labels differ in length`);
  }
  return items;
}
