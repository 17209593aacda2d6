import type { Store } from '../../../store/store.ts';
import { readGalleryRecord } from '../gallery-record.ts';
import { decodeUpload } from '../search/query-image.ts';
import { addGalleryItems, type AddItemsOptions } from './add-items.ts';
import type { AddItemsRequest, AddItemsSummary } from './change-schemas.ts';
import { itemsFromImages, readItemsToAdd } from './items-to-add.ts';

/**
 * `reverie backfill add` and `POST /v1/galleries/{id}/items`: reads the images of a folder or an opened `s3://` prefix
 * decoded to the gallery's shape (colour converted to grayscale when the gallery's were), then adds them.
 *
 * @example
 * await addItemsFromSource(store, 'photos', './new-photos', { maxPixels: 40_000_000 });
 */
export async function addItemsFromSource(
  store: Store, galleryId: string, source: string | Store, options: AddItemsOptions & { maxPixels?: number } = {},
): Promise<AddItemsSummary> {
  const record = await readGalleryRecord(store, galleryId);
  const items = await readItemsToAdd(source, record.image, { toGrayscale: record.toGrayscale, maxPixels: options.maxPixels });
  return addGalleryItems(store, galleryId, items, options);
}

/**
 * `POST /v1/galleries/{id}/items` with `items`: decodes each base64 upload to the gallery's shape (an error names the
 * upload by position and source id), then adds them.
 *
 * @example
 * await addUploadedItems(store, 'photos', [{ sourceId: 'shoes/1.jpg', image: '<base64>', className: 'shoes' }]);
 */
export async function addUploadedItems(
  store: Store, galleryId: string, uploads: NonNullable<AddItemsRequest['items']>, options: AddItemsOptions & { maxPixels?: number } = {},
): Promise<AddItemsSummary> {
  const record = await readGalleryRecord(store, galleryId);
  const images = uploads.map((item, i) => ({
    sourceId: item.sourceId, className: item.className ?? null,
    pixels: decodeUpload(item.image, record, options.maxPixels, `items[${i}] (${item.sourceId})`).pixels,
  }));
  return addGalleryItems(store, galleryId, itemsFromImages(images, record.image), options);
}
