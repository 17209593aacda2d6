import { InvalidInputError } from '../../errors.ts';

/**
 * A labelled set of images held as one flat `Uint8Array` in NHWC order (`pixels[((n * height + y) * width + x) * channels + c]`),
 * so 70,000 images cost 55 MB instead of millions of JS numbers.
 *
 * @example
 * const set = await loadFashionMnist();
 * set.pixels.length === set.ids.length * set.height * set.width * set.channels; // true
 */
export interface ImageSet {
  readonly ids: readonly string[];
  /** Class label per image: an index into the set's class names (any number of classes), or NO_LABEL (-1). */
  readonly labels: Int32Array;
  readonly pixels: Uint8Array;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** The label value used when an image has no class (a flat folder of images, an unlabelled upload). */
export const NO_LABEL = -1;

/**
 * The "no label" value of galleries written before labels were 32-bit (one byte per label, at most 255 classes):
 * their `items.json` holds `labels` where 255 means none. New shards write `classIds` (null = none) instead.
 */
export const LEGACY_NO_LABEL = 255;

/** Bytes per image of a set. */
export function imageSize(set: Pick<ImageSet, 'height' | 'width' | 'channels'>): number {
  return set.height * set.width * set.channels;
}

/** A new set holding the images at `indices`, in that order (pixels copied). */
export function subsetImages(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const size = imageSize(set);
  const pixels = new Uint8Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  const ids: string[] = new Array(indices.length);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r];
    if (!Number.isInteger(i) || i < 0 || i >= set.ids.length) {
      throw new InvalidInputError(`image index ${i} is outside a set of ${set.ids.length} images`);
    }
    pixels.set(set.pixels.subarray(i * size, (i + 1) * size), r * size);
    labels[r] = set.labels[i];
    ids[r] = set.ids[i];
  }
  return { ids, labels, pixels, height: set.height, width: set.width, channels: set.channels };
}

/**
 * Images `[start, end)` as float32 NCHW scaled to [0, 1], the input contract of Reverie's embedding models. Written
 * into `into` when given (exactly `(end - start)` images long, e.g. a reused batch buffer), else into a new array.
 *
 * @example
 * const batch = imagesToNchw(set, 0, 256); // Float32Array of 256 * 1 * 28 * 28
 */
export function imagesToNchw(set: ImageSet, start = 0, end = set.ids.length, into?: Float32Array): Float32Array {
  const { height, width, channels, pixels } = set;
  const plane = height * width;
  const size = plane * channels;
  if (into && into.length !== (end - start) * size) throw new RangeError(`imagesToNchw: the output holds ${into.length} floats, ${end - start} images need ${(end - start) * size}`);
  const out = into ?? new Float32Array((end - start) * size);
  if (channels === 1) {
    // One channel: NHWC and NCHW coincide, so this is a straight table lookup (faster than multiplying per pixel).
    const src = pixels.subarray(start * size, end * size);
    for (let i = 0; i < src.length; i++) out[i] = UNIT_SCALE[src[i]];
    return out;
  }
  for (let n = start; n < end; n++) {
    const src = n * size;
    const dst = (n - start) * size;
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < channels; c++) out[dst + c * plane + p] = UNIT_SCALE[pixels[src + p * channels + c]];
    }
  }
  return out;
}

/** Pixel value → float in [0, 1]. */
const UNIT_SCALE = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/** Concatenates sets of the same image shape. */
export function concatImageSets(sets: readonly ImageSet[]): ImageSet {
  if (sets.length === 0) throw new InvalidInputError('cannot concatenate zero image sets');
  const [first] = sets;
  for (const s of sets) {
    if (s.height !== first.height || s.width !== first.width || s.channels !== first.channels) {
      throw new InvalidInputError(
        `image sets differ in shape: ${s.height}x${s.width}x${s.channels} vs ${first.height}x${first.width}x${first.channels}`,
      );
    }
  }
  const total = sets.reduce((n, s) => n + s.ids.length, 0);
  const size = imageSize(first);
  const pixels = new Uint8Array(total * size);
  const labels = new Int32Array(total);
  const ids: string[] = [];
  let offset = 0;
  for (const s of sets) {
    pixels.set(s.pixels, offset * size);
    labels.set(s.labels, offset);
    for (const id of s.ids) ids.push(id);
    offset += s.ids.length;
  }
  return { ids, labels, pixels, height: first.height, width: first.width, channels: first.channels };
}
