import { imageSize } from 'image-size';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { InvalidInputError } from '../../errors.ts';

/** The shape a decoded image must have. `channels` is 1 (grayscale) or 3 (RGB); alpha is always dropped. */
export interface ImageShape {
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
}

export interface DecodeOptions {
  /** Convert colour images to grayscale (ITU-R BT.601 luma) when `channels` is 1. Off by default: a colour image then fails. */
  readonly toGrayscale?: boolean;
  /** Refuse images with more pixels than this, from the header, before decoding. `DEFAULT_MAX_IMAGE_PIXELS` by default. */
  readonly maxPixels?: number;
}

/** The default pixel limit (width × height): about a 6,300 × 6,300 photo; REVERIE_MAX_IMAGE_PIXELS sets it. */
export const DEFAULT_MAX_IMAGE_PIXELS = 40_000_000;

interface Rgba {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
  readonly gray: boolean;
}

/**
 * Decodes one PNG or JPEG (detected from its bytes, not its name) to `height·width·channels` bytes in HWC order,
 * checking it against `shape`. Every failure is an InvalidInputError that names `source`.
 * PNG colour type decides grayscale (palette images count as grayscale when every pixel has R = G = B);
 * JPEG output is RGB, so a JPEG counts as grayscale when every pixel has R = G = B.
 *
 * @example
 * const pixels = decodeImage(await readFile('shoe.png'), 'shoe.png', { height: 28, width: 28, channels: 1 });
 */
export function decodeImage(bytes: Uint8Array, source: string, shape: ImageShape, options: DecodeOptions = {}): Uint8Array {
  if (bytes.length === 0) throw new InvalidInputError(`${source}: the image file is empty`, { details: { file: source } });
  // The header says how big the image is; a wrong or huge size is refused before a single pixel is decoded.
  checkHeader(bytes, source, shape, options.maxPixels ?? DEFAULT_MAX_IMAGE_PIXELS);
  const image = decodeRgba(bytes, source);
  if (image.height !== shape.height || image.width !== shape.width) {
    throw new InvalidInputError(
      `${source}: image is ${image.width}x${image.height} (width x height), expected ${shape.width}x${shape.height}`,
      { details: { file: source } },
    );
  }
  const sourceChannels = image.gray ? 1 : 3;
  if (sourceChannels !== shape.channels && !(shape.channels === 1 && options.toGrayscale)) {
    throw new InvalidInputError(
      `${source}: image has ${sourceChannels} channel(s) (${image.gray ? 'grayscale' : 'colour'}), expected ${shape.channels}` +
        (shape.channels === 1 ? '; pass toGrayscale to convert colour images' : ''),
      { details: { file: source } },
    );
  }
  return toChannels(image, shape.channels);
}

/**
 * Reads width and height from the image header (no decoding) and refuses an image over `maxPixels`, or of another
 * size than `shape`.
 */
export function checkHeader(bytes: Uint8Array, source: string, shape: ImageShape | undefined, maxPixels: number): { width: number; height: number } {
  let size: { width?: number; height?: number };
  try {
    size = imageSize(bytes);
  } catch (cause) {
    throw new InvalidInputError(`${source}: not a PNG or JPEG file (${(cause as Error).message})`, { cause, details: { file: source } });
  }
  const { width = 0, height = 0 } = size;
  if (width * height > maxPixels) {
    throw new InvalidInputError(
      `${source}: image is ${width}x${height} (${width * height} pixels), over the limit of ${maxPixels} pixels (REVERIE_MAX_IMAGE_PIXELS)`,
      { details: { file: source, width, height } },
    );
  }
  if (shape && (width !== shape.width || height !== shape.height)) {
    throw new InvalidInputError(
      `${source}: image is ${width}x${height} (width x height), expected ${shape.width}x${shape.height}`,
      { details: { file: source } },
    );
  }
  return { width, height };
}

function decodeRgba(bytes: Uint8Array, source: string): Rgba {
  const isPng = bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const isJpeg = bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (!isPng && !isJpeg) throw new InvalidInputError(`${source}: not a PNG or JPEG file`, { details: { file: source } });
  try {
    if (isPng) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      const rgba = new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength);
      const gray = png.palette ? allGray(rgba) : !png.color;
      return { width: png.width, height: png.height, rgba, gray };
    }
    const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, tolerantDecoding: false });
    return { width: image.width, height: image.height, rgba: image.data, gray: allGray(image.data) };
  } catch (cause) {
    throw new InvalidInputError(`${source}: could not decode image (${(cause as Error).message})`, { cause, details: { file: source } });
  }
}

function allGray(rgba: Uint8Array): boolean {
  for (let p = 0; p < rgba.length; p += 4) if (rgba[p] !== rgba[p + 1] || rgba[p] !== rgba[p + 2]) return false;
  return true;
}

function toChannels(image: Rgba, channels: 1 | 3): Uint8Array {
  const pixels = image.width * image.height;
  const out = new Uint8Array(pixels * channels);
  const { rgba } = image;
  for (let p = 0; p < pixels; p++) {
    const r = rgba[4 * p], g = rgba[4 * p + 1], b = rgba[4 * p + 2];
    if (channels === 3) {
      out[3 * p] = r;
      out[3 * p + 1] = g;
      out[3 * p + 2] = b;
    } else {
      out[p] = image.gray ? r : Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    }
  }
  return out;
}
