import { NotFoundError } from '../../../errors.ts';
import type { Store } from '../../../store/store.ts';
import { NO_LABEL, type ImageSet } from '../../datasets/image-set.ts';
import { readAddedItems, readAddedPixels } from '../changes/added-batch.ts';
import type { GalleryMembership } from '../changes/membership.ts';
import type { GalleryRecord } from '../gallery-record.ts';
import { readImageShard, type ImageShard } from '../image-shard.ts';
import { galleryItemId, galleryKeys, ItemPart, queryItemId, shardRange, ShardKind } from '../keys.ts';

const MAX_CACHED_SHARDS = 8;
const shards = new Map<string, Promise<ImageShard>>();

/**
 * One stored image (gallery or query item, ingested or added) as a one-image ImageSet; a deleted item is a
 * NotFoundError. Recently read shards are kept (a few MB), since a page of search hits asks for many images of the same
 * shards. An added item's label is NO_LABEL here: its class is in the gallery's contents (`readGalleryContents`).
 *
 * @example
 * const image = await readItemImage(store, record, { part: 'query', index: 12 }, membership);
 */
export async function readItemImage(
  store: Store, record: GalleryRecord, item: { part: ItemPart; index: number }, membership?: GalleryMembership,
): Promise<ImageSet & { sourceIds: readonly string[] }> {
  const gallery = item.part === ItemPart.gallery;
  if (gallery && membership?.deleted[item.index]) throw new NotFoundError(`item ${galleryItemId(item.index)} was deleted from gallery "${record.id}"`);
  const add = gallery && item.index >= record.items ? membership?.adds.find((a) => item.index < a.firstIndex + a.count) : undefined;
  if (add) return readAddedImage(store, record, add, item.index - add.firstIndex);
  const total = gallery ? record.items : record.queries;
  if (!(Number.isInteger(item.index) && item.index >= 0 && item.index < total)) {
    const id = item.part === ItemPart.gallery ? galleryItemId : queryItemId;
    const range = total > 0 ? `${id(0)} … ${id(total - 1)}` : 'none';
    throw new NotFoundError(`gallery "${record.id}" has no ${item.part} item ${id(item.index)} (its ${item.part} items are ${range})`);
  }
  const shard = Math.floor(item.index / record.shardSize);
  const { start } = shardRange(shard, record.shardSize, total);
  const prefix = galleryKeys(record.id).shard(item.part === ItemPart.gallery ? ShardKind.images : ShardKind.queries, shard);
  const images = await cachedShard(store, record, prefix);
  const row = item.index - start;
  const size = images.height * images.width * images.channels;
  return {
    ids: [images.ids[row]], sourceIds: [images.sourceIds[row]], labels: images.labels.subarray(row, row + 1),
    pixels: images.pixels.subarray(row * size, (row + 1) * size), height: images.height, width: images.width, channels: images.channels,
  };
}

function cachedShard(store: Store, record: GalleryRecord, prefix: string): Promise<ImageShard> {
  const key = `${store.uri}\n${record.fingerprint}\n${prefix}`;
  let pending = shards.get(key);
  if (pending) {
    shards.delete(key);
  } else {
    pending = readImageShard(store, prefix, record.image);
    pending.catch(() => shards.delete(key));
  }
  shards.set(key, pending);
  if (shards.size > MAX_CACHED_SHARDS) shards.delete(shards.keys().next().value!);
  return pending;
}

async function readAddedImage(
  store: Store, record: GalleryRecord, add: GalleryMembership['adds'][number], row: number,
): Promise<ImageSet & { sourceIds: readonly string[] }> {
  const [pixels, items] = await Promise.all([readAddedPixels(store, record, add), readAddedItems(store, add.batch)]);
  const size = record.image.height * record.image.width * record.image.channels;
  return {
    ids: [galleryItemId(add.firstIndex + row)], sourceIds: [items.sourceIds[row]], labels: Int32Array.of(NO_LABEL),
    pixels: pixels.slice(row * size, (row + 1) * size), ...record.image,
  };
}
