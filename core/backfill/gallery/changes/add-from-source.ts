import type { Store } from '../../../store/store.ts';
import { readGalleryRecord } from '../gallery-record.ts';
import { addGalleryItems, type AddItemsOptions } from './add-items.ts';
import type { AddItemsSummary } from './change-schemas.ts';
import { readItemsToAdd } from './items-to-add.ts';

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
