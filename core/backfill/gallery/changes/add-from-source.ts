import type { Store } from '../../../store/store.ts';
import { readGalleryRecord } from '../gallery-record.ts';
import { decodeUpload } from '../search/query-image.ts';
import { InvalidInputError } from '../../../errors.ts';
import type { ImageLimits } from '../../images/preprocess.ts';
import type { OpenSourceStore } from '../../sources/image-source.ts';
import { addGalleryItems, type AddItemsOptions } from './add-items.ts';
import { addStreamItems } from './add-stream-items.ts';
import type { AddItemsRequest, AddItemsSummary } from './change-schemas.ts';
import { itemsFromImages, readItemsToAdd } from './items-to-add.ts';

/**
 * `reverie backfill add` and `POST /v1/galleries/{id}/items`: adds the images of a folder or an `s3://` prefix. A
 * streamed photo gallery reads them as its ingest does and stores source references (`addStreamItems`); any other
 * gallery gets them decoded to its shape (colour converted to grayscale when the gallery's were).
 *
 * @example
 * await addItemsFromSource(store, 'photos', 's3://photos/new', { openStore, maxPixels: 40_000_000 });
 */
export async function addItemsFromSource(
  store: Store, galleryId: string, source: string, options: AddItemsOptions & ImageLimits & { openStore?: OpenSourceStore } = {},
): Promise<AddItemsSummary> {
  const record = await readGalleryRecord(store, galleryId);
  if (record.source.kind === 'stream') return addStreamItems(store, galleryId, source, options);
  let from: string | Store = source;
  if (source.startsWith('s3://')) {
    if (!options.openStore) throw new InvalidInputError(`${source}: reading an s3:// source needs an S3 client (run through the CLI or the API)`);
    from = options.openStore(source);
  }
  const items = await readItemsToAdd(from, record.image, { toGrayscale: record.toGrayscale, maxPixels: options.maxPixels });
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
  if (record.source.kind === 'stream') {
    throw new InvalidInputError(`gallery "${galleryId}" is a streamed photo gallery: it stores references to source objects, not pixels, so it cannot take uploaded images; put them in a folder or an s3:// prefix and add that ("dataset")`);
  }
  const images = uploads.map((item, i) => ({
    sourceId: item.sourceId, className: item.className ?? null,
    pixels: decodeUpload(item.image, record, options.maxPixels, `items[${i}] (${item.sourceId})`).pixels,
  }));
  return addGalleryItems(store, galleryId, itemsFromImages(images, record.image), options);
}
