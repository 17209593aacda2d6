import { z } from 'zod';
import { InvalidInputError } from '../../errors.ts';
import { readBatchObject } from '../../store/batch.ts';
import type { Store } from '../../store/store.ts';
import { LEGACY_NO_LABEL, NO_LABEL, type ImageSet } from '../datasets/image-set.ts';
import { commitGalleryBatch, parseJsonBytes, requireManifest } from './gallery-batch.ts';
import type { ImageShapeLike } from './model-checks.ts';
import { decodePixelNpy, encodePixelNpy } from './pixel-npy.ts';

export const PIXELS_FILE = 'pixels.npy';
export const ITEMS_FILE = 'items.json';

const SourceRefSchema = z.object({ sha256: z.string(), etag: z.string().optional(), bytes: z.number().int().nonnegative() });

/**
 * `items.json` of an image shard: item ids (`g-…`/`q-…`), the ids the images had in their source, and each item's
 * class as `classIds` (an index into the gallery's classes, any number of them; null = no label). Shards written
 * before labels were 32-bit hold `labels` instead (one byte: 0–254, 255 = no label); both are read.
 */
export const ShardItemsFileSchema = z
  .object({
    ids: z.array(z.string()),
    sourceIds: z.array(z.string()),
    classIds: z.array(z.number().int().min(0).max(2 ** 31 - 1).nullable()).optional(),
    labels: z.array(z.number().int().min(0).max(LEGACY_NO_LABEL)).optional(),
    /** Streamed galleries: SHA-256 of each source object's bytes at ingest (and its ETag when it had one). */
    refs: z.array(SourceRefSchema).optional(),
  })
  .refine((f) => (f.classIds === undefined) !== (f.labels === undefined), { message: 'give exactly one of classIds or labels (the layout before 32-bit labels)' });

/** The items of a shard as read: `labels` are class indices, NO_LABEL (-1) for none, whichever layout the file has. */
export interface ShardItems {
  readonly ids: readonly string[];
  readonly sourceIds: readonly string[];
  readonly labels: readonly number[];
  readonly refs?: readonly z.infer<typeof SourceRefSchema>[];
}
export type ShardSourceRef = z.infer<typeof SourceRefSchema>;

/** The `items.json` body of a shard, in the current layout (`classIds`, null for no label). */
export function shardItemsJson(items: ShardItems): string {
  const classIds = items.labels.map((label) => (label === NO_LABEL ? null : label));
  if (classIds.some((c) => c !== null && !(Number.isInteger(c) && c >= 0))) throw new InvalidInputError('shard labels must be class indices ≥ 0 or NO_LABEL');
  return JSON.stringify({ ids: items.ids, sourceIds: items.sourceIds, classIds, ...(items.refs ? { refs: items.refs } : {}) });
}

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
  const items: ShardItems = { ids: shard.ids, sourceIds: shard.sourceIds, labels: Array.from(shard.labels) };
  await commitGalleryBatch(store, prefix, [
    { name: PIXELS_FILE, body: encodePixelNpy(shard.pixels, [shard.ids.length, shard.height, shard.width, shard.channels]) },
    { name: ITEMS_FILE, body: shardItemsJson(items) },
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
  return { ...images, ids: items.ids, sourceIds: items.sourceIds, labels: Int32Array.from(items.labels) };
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
  return { ids, sourceIds: ids, labels: new Int32Array(n), pixels, height: h, width: w, channels: c };
}

/** Only the ids and labels of a committed image shard (no pixels read). */
export async function readShardItems(store: Store, prefix: string): Promise<ShardItems> {
  const manifest = await requireManifest(store, prefix, 'image shard');
  const file = parseJsonBytes(await readBatchObject(store, manifest, ITEMS_FILE), `${prefix}/${ITEMS_FILE}`, ShardItemsFileSchema);
  const labels = file.classIds
    ? file.classIds.map((c) => c ?? NO_LABEL)
    : file.labels!.map((l) => (l === LEGACY_NO_LABEL ? NO_LABEL : l));
  if (file.sourceIds.length !== file.ids.length || labels.length !== file.ids.length) {
    throw new InvalidInputError(`${prefix}/${ITEMS_FILE}: ids, source ids and labels differ in length`);
  }
  return { ids: file.ids, sourceIds: file.sourceIds, labels, ...(file.refs ? { refs: file.refs } : {}) };
}
