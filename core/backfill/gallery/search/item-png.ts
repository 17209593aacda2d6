import { PNG } from 'pngjs';
import { NotFoundError } from '../../../errors.ts';
import type { Store } from '../../../store/store.ts';
import { readChangeLog } from '../changes/change-log.ts';
import { galleryMembership } from '../changes/membership.ts';
import { readGalleryRecord } from '../gallery-record.ts';
import { parseItemId } from '../keys.ts';
import { readItemImage } from './item-pixels.ts';

/**
 * A stored item rendered as PNG (grayscale or RGB, as stored), for the dashboard's search results.
 *
 * @example
 * const png = await renderItemPng(store, 'fashion-mnist', 'g-000042');
 */
export async function renderItemPng(store: Store, galleryId: string, itemId: string): Promise<Uint8Array> {
  const record = await readGalleryRecord(store, galleryId);
  const item = parseItemId(itemId);
  if (!item) throw new NotFoundError(`"${itemId}" is not an item id of gallery "${galleryId}" (item ids look like g-000042 or q-00007)`);
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
