import { PNG } from 'pngjs';
import { NotFoundError } from '../../../errors.ts';
import type { Store } from '../../../store/store.ts';
import { readChangeLog } from '../changes/change-log.ts';
import { galleryMembership } from '../changes/membership.ts';
import { readGalleryRecord } from '../gallery-record.ts';
import { parseItemId } from '../keys.ts';
import { readItemImage } from './item-pixels.ts';
import { openSourceItem, type OpenSourceStore } from '../../sources/image-source.ts';
import type { GalleryRecord } from '../gallery-record.ts';
import { checkImageLimits } from '../../images/preprocess.ts';
import { DEFAULT_MAX_IMAGE_PIXELS } from '../../datasets/decode-image.ts';
import { readShardItems } from '../image-shard.ts';
import { galleryItemId, galleryKeys, ItemPart, queryItemId, ShardKind } from '../keys.ts';

/** A streamed gallery's item: its source object read again, oriented and shrunk to fit 256×256, as PNG. */
async function renderSourcePng(store: Store, record: GalleryRecord, item: { part: ItemPart; index: number }, openStore?: OpenSourceStore): Promise<Uint8Array> {
  const total = item.part === ItemPart.gallery ? record.items : record.queries;
  const id = (item.part === ItemPart.gallery ? galleryItemId : queryItemId)(item.index);
  if (item.index >= total || record.source.kind !== 'stream') throw new NotFoundError(`gallery "${record.id}" has no item ${id}`);
  const shard = Math.floor(item.index / record.shardSize);
  const items = await readShardItems(store, galleryKeys(record.id).shard(item.part === ItemPart.gallery ? ShardKind.images : ShardKind.queries, shard));
  const bytes = await openSourceItem(record.source.uri, items.sourceIds[item.index - shard * record.shardSize], openStore);
  checkImageLimits(bytes, id);
  const { default: sharp } = await import('sharp');
  return new Uint8Array(await sharp(bytes, { limitInputPixels: DEFAULT_MAX_IMAGE_PIXELS }).rotate().resize(256, 256, { fit: 'inside', withoutEnlargement: true }).png().toBuffer());
}

/**
 * A stored item rendered as PNG (grayscale or RGB, as stored), for the dashboard's search results.
 *
 * @example
 * const png = await renderItemPng(store, 'fashion-mnist', 'g-000042');
 */
export async function renderItemPng(store: Store, galleryId: string, itemId: string, options: { openStore?: OpenSourceStore } = {}): Promise<Uint8Array> {
  const record = await readGalleryRecord(store, galleryId);
  const item = parseItemId(itemId);
  if (!item) throw new NotFoundError(`"${itemId}" is not an item id of gallery "${galleryId}" (item ids look like g-000042 or q-00007)`);
  if (record.source.kind === 'stream') return renderSourcePng(store, record, item, options.openStore);
  const image = await readItemImage(store, record, item, galleryMembership(record, await readChangeLog(store, galleryId)));
  const png = new PNG({ width: image.width, height: image.height });
  const pixels = image.width * image.height;
  for (let p = 0; p < pixels; p++) {
    const c = image.channels;
    png.data[4 * p] = image.pixels[p * c];
    png.data[4 * p + 1] = image.pixels[p * c + (c === 3 ? 1 : 0)];
    png.data[4 * p + 2] = image.pixels[p * c + (c === 3 ? 2 : 0)];
    png.data[4 * p + 3] = 255;
  }
  return new Uint8Array(PNG.sync.write(png, { colorType: image.channels === 3 ? 2 : 0 }));
}
