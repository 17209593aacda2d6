import { InvalidInputError, NotFoundError } from '../../../errors.ts';
import type { Store } from '../../../store/store.ts';
import { decodeImage } from '../../datasets/decode-image.ts';
import { NO_LABEL, type ImageSet } from '../../datasets/image-set.ts';
import type { GalleryRecord } from '../gallery-record.ts';
import { parseItemId } from '../keys.ts';
import { readItemImage } from './item-pixels.ts';
import type { LoadedGallery } from './loaded-gallery.ts';

export interface QueryImage {
  readonly image: ImageSet;
  readonly id: string | null;
  readonly sourceId: string | null;
  readonly label: number | null;
}

const DATA_URL = /^data:image\/[a-z+.-]+;base64,/i;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * The query of a search: a stored item by item id or source id, or an uploaded image checked against the gallery's shape.
 *
 * @example
 * const query = await resolveQueryImage(store, gallery, { itemId: 'q-00012' }); // query.label === 0
 */
export async function resolveQueryImage(
  store: Store,
  gallery: LoadedGallery,
  query: { itemId?: string; image?: string },
  options: { maxImagePixels?: number } = {},
): Promise<QueryImage> {
  if (query.itemId !== undefined) {
    const ref = parseItemId(query.itemId) ?? gallery.lookup.get(query.itemId);
    if (!ref) throw new NotFoundError(`gallery "${gallery.record.id}" has no item "${query.itemId}"`);
    const image = await readItemImage(store, gallery.record, ref, gallery.membership);
    const label = ref.part === 'gallery' ? gallery.items.labels[ref.index] : image.labels[0];
    return { image, id: image.ids[0], sourceId: image.sourceIds[0], label: label === NO_LABEL ? null : label };
  }
  if (query.image !== undefined) {
    return { image: decodeUpload(query.image, gallery.record, options.maxImagePixels), id: null, sourceId: null, label: null };
  }
  throw new InvalidInputError('a search needs a query: itemId or image');
}

/** The bytes of a base64 (or base64url, or data URL) image upload. */
export function decodeBase64Image(text: string, name = 'image'): Uint8Array {
  const body = text.replace(DATA_URL, '').replace(/\s+/g, '');
  if (!BASE64.test(body) || body.length % 4 === 1) throw new InvalidInputError(`${name}: not valid base64 (send the PNG, JPEG or WebP bytes base64-encoded)`);
  return new Uint8Array(Buffer.from(body, body.includes('-') || body.includes('_') ? 'base64url' : 'base64'));
}

/** Decodes a base64 PNG/JPEG upload to one image of the gallery's shape; every problem names the upload. */
export function decodeUpload(text: string, record: GalleryRecord, maxPixels?: number, name = 'uploaded image'): ImageSet {
  const bytes = decodeBase64Image(text, name);
  const pixels = decodeImage(bytes, name, record.image, { toGrayscale: record.toGrayscale, maxPixels });
  return { ids: ['upload'], labels: Int32Array.of(NO_LABEL), pixels, ...record.image };
}
