import path from 'node:path';
import { InvalidInputError } from '../../../errors.ts';
import type { Store } from '../../../store/store.ts';
import { decodeImage, type DecodeOptions, type ImageShape } from '../../datasets/decode-image.ts';
import { decodeImageFolder } from '../../datasets/image-folder.ts';
import { NO_LABEL, type ImageSet } from '../../datasets/image-set.ts';

/** Images to add to a gallery: `images.ids` are their source ids; `classNames[i]` is image i's class, null for none. */
export interface ItemsToAdd {
  readonly images: ImageSet;
  readonly classNames: readonly (string | null)[];
}

const IMAGE_KEY = /\.(png|jpe?g)$/i;

/**
 * Reads the images of an add, decoded to the gallery's image shape: a folder (sub-folders are classes, source ids are
 * paths relative to it, as at ingest) or a store prefix (an `s3://bucket/prefix` the caller opened; keys relative to it
 * are the source ids and a key's first folder its class). The one place an add reads its source, so a streaming
 * reader can take its place.
 *
 * @example
 * const items = await readItemsToAdd('./new-photos', record.image, { toGrayscale: record.toGrayscale });
 */
export async function readItemsToAdd(source: string | Store, shape: ImageShape, options: DecodeOptions = {}): Promise<ItemsToAdd> {
  if (typeof source !== 'string') return readStorePrefix(source, shape, options);
  const folder = await decodeImageFolder(path.resolve(source), shape, options);
  return { images: folder, classNames: Array.from(folder.labels, (l) => (l === NO_LABEL ? null : folder.classes[l])) };
}

async function readStorePrefix(store: Store, shape: ImageShape, options: DecodeOptions): Promise<ItemsToAdd> {
  const keys: string[] = [];
  for await (const info of store.list('')) if (IMAGE_KEY.test(info.key)) keys.push(info.key);
  if (keys.length === 0) throw new InvalidInputError(`${store.uri}: no PNG or JPEG images found`);
  keys.sort();
  const size = shape.height * shape.width * shape.channels;
  const pixels = new Uint8Array(keys.length * size);
  for (const [n, key] of keys.entries()) pixels.set(decodeImage(await store.get(key), `${store.uri}/${key}`, shape, options), n * size);
  const classNames = keys.map((key) => (key.includes('/') ? key.slice(0, key.indexOf('/')) : null));
  return { images: { ids: keys, labels: new Int32Array(keys.length).fill(NO_LABEL), pixels, ...shape }, classNames };
}

/** Concatenates sets of the same shape (uploads decoded one by one). */
export function itemsFromImages(images: readonly { sourceId: string; pixels: Uint8Array; className: string | null }[], shape: ImageShape): ItemsToAdd {
  const size = shape.height * shape.width * shape.channels;
  const pixels = new Uint8Array(images.length * size);
  images.forEach((image, i) => pixels.set(image.pixels, i * size));
  return {
    images: { ids: images.map((i) => i.sourceId), labels: new Int32Array(images.length).fill(NO_LABEL), pixels, ...shape },
    classNames: images.map((i) => i.className),
  };
}
