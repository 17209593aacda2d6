import type sharpModule from 'sharp';
import { InvalidInputError } from '../../errors.ts';
import { checkHeader, DEFAULT_MAX_IMAGE_PIXELS } from '../datasets/decode-image.ts';
import { ChannelOrder, channelValue, InputDtype, TensorLayout, type LoadedModelCard } from '../models/model-card.ts';

/** One image in a model's input layout: `channels·height·width` values (Float32Array, or Uint8Array for uint8 models). */
export type ImageTensor = Float32Array | Uint8Array;

export interface ImageLimits {
  /** Refuse images over this many pixels, read from the header before decoding. Default `DEFAULT_MAX_IMAGE_PIXELS`. */
  readonly maxPixels?: number;
  /** Refuse files over this many bytes before reading their header. Default `DEFAULT_MAX_IMAGE_BYTES`. */
  readonly maxBytes?: number;
}

/** The default file-size limit of one image: 50 MB (REVERIE_MAX_IMAGE_BYTES). */
export const DEFAULT_MAX_IMAGE_BYTES = 50_000_000;

let loaded: Promise<typeof sharpModule> | undefined;

/** sharp, loaded on first use (its native libvips costs every CLI command's start otherwise). */
function loadSharp(): Promise<typeof sharpModule> {
  loaded ??= import('sharp').then(({ default: sharp }) => {
    // libvips' own threads would compete with onnxruntime's; one image at a time is decoded per call.
    sharp.concurrency(1);
    sharp.cache(false);
    return sharp;
  });
  return loaded;
}

/**
 * Refuses a hostile image before any pixel is decoded: over the byte limit, not a PNG/JPEG/WebP, or over the pixel
 * limit by its header. Every error names `source`.
 */
export function checkImageLimits(bytes: Uint8Array, source: string, limits: ImageLimits = {}): { width: number; height: number } {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES;
  if (bytes.length === 0) throw new InvalidInputError(`${source}: the image file is empty`, { details: { file: source } });
  if (bytes.length > maxBytes) {
    throw new InvalidInputError(`${source}: ${bytes.length} bytes, over the limit of ${maxBytes} bytes (REVERIE_MAX_IMAGE_BYTES)`, { details: { file: source, bytes: bytes.length } });
  }
  return checkHeader(bytes, source, undefined, limits.maxPixels ?? DEFAULT_MAX_IMAGE_PIXELS);
}

/**
 * Turns one encoded image (JPEG, PNG or WebP) into the model's input tensor, as its card says: EXIF orientation
 * applied, alpha flattened onto black, grayscale expanded (or colour reduced to luma for one-channel models), resize
 * of the shorter side to `resizeShorter`, centre crop to `height × width`, channel order, `(x/255 − mean)/std`,
 * NCHW or NHWC, float32 or uint8.
 *
 * @example
 * const card = await loadModelCard('models/photos/new.card.json');
 * const tensor = await preprocessImage(await readFile('cat.jpg'), card, 'cat.jpg'); // Float32Array(3·64·64)
 */
export async function preprocessImage(bytes: Uint8Array, card: LoadedModelCard, source: string, limits: ImageLimits = {}): Promise<ImageTensor> {
  const pixels = await decodeToCrop(bytes, card, source, limits);
  return toTensor(pixels, card);
}

/** Decodes, orients, resizes and centre-crops to `height·width·channels` uint8 HWC pixels in the card's channel order. */
export async function decodeToCrop(bytes: Uint8Array, card: LoadedModelCard, source: string, limits: ImageLimits = {}): Promise<Uint8Array> {
  checkImageLimits(bytes, source, limits);
  const { height, width, resizeShorter = Math.max(height, width) } = card.input;
  const sharp = await loadSharp();
  try {
    const oriented = sharp(bytes, { limitInputPixels: limits.maxPixels ?? DEFAULT_MAX_IMAGE_PIXELS, failOn: 'error' }).rotate();
    const meta = await oriented.clone().metadata();
    // Width and height after EXIF orientation: orientations 5–8 swap them.
    const swap = (meta.orientation ?? 1) >= 5;
    const w0 = (swap ? meta.height : meta.width) ?? 0;
    const h0 = (swap ? meta.width : meta.height) ?? 0;
    const scale = resizeShorter / Math.min(w0, h0);
    const w1 = Math.max(width, Math.round(w0 * scale));
    const h1 = Math.max(height, Math.round(h0 * scale));
    let pipeline = oriented
      .flatten({ background: { r: 0, g: 0, b: 0 } })
      .resize(w1, h1, { fit: 'fill', kernel: 'lanczos3' })
      .extract({ left: Math.floor((w1 - width) / 2), top: Math.floor((h1 - height) / 2), width, height });
    pipeline = card.channels === 1 ? pipeline.grayscale() : pipeline.toColourspace('srgb');
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    if (info.width !== width || info.height !== height || info.channels !== card.channels) {
      throw new Error(`decoded to ${info.width}x${info.height}x${info.channels}, expected ${width}x${height}x${card.channels}`);
    }
    const out = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (card.input.channelOrder === ChannelOrder.bgr) {
      for (let p = 0; p < out.length; p += 3) {
        const r = out[p];
        out[p] = out[p + 2];
        out[p + 2] = r;
      }
    }
    return out;
  } catch (cause) {
    throw new InvalidInputError(`${source}: could not decode image (${(cause as Error).message})`, { cause, details: { file: source } });
  }
}

/** HWC uint8 pixels (card channel order) → the card's layout and dtype. */
export function toTensor(pixels: Uint8Array, card: LoadedModelCard): ImageTensor {
  const { height, width, layout, dtype, mean, std } = card.input;
  const channels = card.channels;
  const plane = height * width;
  const nchw = layout === TensorLayout.nchw;
  if (dtype === InputDtype.uint8) {
    if (!nchw || channels === 1) return pixels;
    const out = new Uint8Array(pixels.length);
    for (let p = 0; p < plane; p++) for (let c = 0; c < channels; c++) out[c * plane + p] = pixels[p * channels + c];
    return out;
  }
  const out = new Float32Array(pixels.length);
  for (let c = 0; c < channels; c++) {
    const m = channelValue(mean, c);
    const s = channelValue(std, c);
    const table = Float32Array.from({ length: 256 }, (_, v) => (v / 255 - m) / s);
    for (let p = 0; p < plane; p++) out[nchw ? c * plane + p : p * channels + c] = table[pixels[p * channels + c]];
  }
  return out;
}
