import path from 'node:path';
import { InvalidInputError } from '../../errors.ts';
import { isBuiltinDataset, loadBuiltinDataset } from '../datasets/builtin.ts';
import { FASHION_MNIST_CLASSES } from '../datasets/fashion-mnist.ts';
import { decodeImageFolder } from '../datasets/image-folder.ts';
import { subsetImages, type ImageSet } from '../datasets/image-set.ts';
import { splitImageSet } from '../datasets/split.ts';
import { backfillOrder } from '../eval/backfill-order.ts';
import type { GallerySource } from './gallery-record.ts';
import type { ImageShapeLike } from './model-checks.ts';

export const GallerySplit = { gallery: 'gallery', all: 'all' } as const;
export type GallerySplit = (typeof GallerySplit)[keyof typeof GallerySplit];

export interface IngestSourceOptions {
  /** A built-in dataset name (`fashion-mnist`, `mnist`) or a folder of PNG/JPEG images (sub-folders are classes). */
  readonly dataset: string;
  /** Built-in datasets: `gallery` (default) is the split's gallery part; `all` puts all 70,000 images in the gallery. */
  readonly split?: GallerySplit;
  /** Folders: share of each class held out as queries. Default 0.05. */
  readonly queryFraction?: number;
  /** Folders: convert colour images to grayscale when the models take one channel. */
  readonly toGrayscale?: boolean;
  /** Keep only this many gallery items (a random sample: the first of the shuffled order) and queries (evenly spaced). */
  readonly maxItems?: number;
  readonly maxQueries?: number;
  /** Seed of the random order items are dealt into shards in. Default 1. */
  readonly orderSeed?: number;
}

export interface IngestSource {
  readonly source: GallerySource;
  /** Gallery images in shard order (shuffled), query images in split order. */
  readonly gallery: ImageSet;
  readonly queries: ImageSet;
  readonly classes: readonly string[];
}

const DIGITS = Array.from({ length: 10 }, (_, i) => String(i));

/**
 * Loads the images of an ingest: a built-in dataset's split, or a folder decoded to the models' input shape.
 *
 * @example
 * const { gallery, queries } = await loadIngestSource({ dataset: 'photos', queryFraction: 0.1 }, oldModel);
 */
export async function loadIngestSource(options: IngestSourceOptions, shape: ImageShapeLike): Promise<IngestSource> {
  const orderSeed = options.orderSeed ?? 1;
  if (isBuiltinDataset(options.dataset)) {
    const split = options.split ?? GallerySplit.gallery;
    const images = await loadBuiltinDataset(options.dataset);
    const parts = splitImageSet(images);
    const galleryIndices = split === GallerySplit.all ? Uint32Array.from(images.ids, (_, i) => i) : parts.gallery;
    return {
      source: { kind: 'builtin', dataset: options.dataset, split },
      gallery: shuffled(images, galleryIndices, orderSeed, options.maxItems),
      queries: subsetImages(images, evenlySpaced(parts.query, options.maxQueries)),
      classes: options.dataset === 'fashion-mnist' ? [...FASHION_MNIST_CLASSES] : DIGITS,
    };
  }
  if (options.split && options.split !== GallerySplit.gallery) throw new InvalidInputError('--split applies to built-in datasets only');
  const directory = path.resolve(options.dataset);
  const channels = shape.channels === 1 || shape.channels === 3 ? shape.channels : invalidChannels(shape.channels);
  const images = await decodeImageFolder(directory, { height: shape.height, width: shape.width, channels }, { toGrayscale: options.toGrayscale });
  const queryFraction = options.queryFraction ?? 0.05;
  if (!(queryFraction > 0 && queryFraction < 1)) throw new InvalidInputError(`query fraction must be between 0 and 1, got ${queryFraction}`);
  const parts = splitImageSet(images, { seed: orderSeed, queryFraction, galleryFraction: 1 - queryFraction });
  const all = Uint32Array.from([...parts.gallery, ...parts.train]).sort();
  return {
    source: { kind: 'folder', path: directory, queryFraction },
    gallery: shuffled(images, all, orderSeed, options.maxItems),
    queries: subsetImages(images, evenlySpaced(parts.query, options.maxQueries)),
    classes: images.classes,
  };
}

function shuffled(images: ImageSet, indices: Uint32Array, seed: number, maxItems = indices.length): ImageSet {
  const order = backfillOrder(indices.length, seed).subarray(0, Math.min(maxItems, indices.length));
  return subsetImages(images, Array.from(order, (r) => indices[r]));
}

function evenlySpaced(indices: Uint32Array, count = indices.length): Uint32Array {
  if (count >= indices.length) return indices;
  return Uint32Array.from({ length: count }, (_, i) => indices[Math.floor((i * indices.length) / count)]);
}

function invalidChannels(channels: number): never {
  throw new InvalidInputError(`the models take ${channels}-channel images; image folders decode to 1 (grayscale) or 3 (RGB) channels`);
}
