import { PNG } from 'pngjs';
import { NotFoundError } from '../../../errors.ts';
import type { Store } from '../../../store/store.ts';
import { readChangeLog } from '../changes/change-log.ts';
import { galleryMembership, type GalleryMembership } from '../changes/membership.ts';
import { streamItemSource } from '../changes/item-source.ts';
import { readGalleryRecord } from '../gallery-record.ts';
import { parseItemId } from '../keys.ts';
import { readItemImage } from './item-pixels.ts';
import { openSourceItem, type OpenSourceStore } from '../../sources/image-source.ts';
import type { GalleryRecord } from '../gallery-record.ts';
import { checkImageLimits } from '../../images/preprocess.ts';
import { DEFAULT_MAX_IMAGE_PIXELS } from '../../datasets/decode-image.ts';
import { galleryItemId, ItemPart, queryItemId } from '../keys.ts';

/** A streamed gallery's item (not deleted): its source object read again, oriented and shrunk to fit 256×256, as PNG. */
async function renderSourcePng(
  store: Store, record: GalleryRecord, membership: GalleryMembership, item: { part: ItemPart; index: number }, openStore?: OpenSourceStore,
): Promise<Uint8Array> {
  const { uri, sourceId } = await streamItemSource(store, record, membership, item);
  const bytes = await openSourceItem(uri, sourceId, openStore);
  checkImageLimits(bytes, (item.part === ItemPart.gallery ? galleryItemId : queryItemId)(item.index));
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
  const membership = galleryMembership(record, await readChangeLog(store, galleryId));
  if (record.source.kind === 'stream') return renderSourcePng(store, record, membership, item, options.openStore);
  const image = await readItemImage(store, record, item, membership);
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
