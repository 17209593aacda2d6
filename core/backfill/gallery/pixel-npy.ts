import { InvalidInputError } from '../../errors.ts';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0];

/**
 * Images as a uint8 `.npy` of shape `[N, H, W, C]` (NHWC, the layout `ImageSet.pixels` already has), so a shard's
 * pixels are one compact copy of the bytes that numpy reads as `np.load(f)` without Reverie.
 *
 * @example
 * const bytes = encodePixelNpy(set.pixels, [set.ids.length, 28, 28, 1]);
 * decodePixelNpy(bytes, 'images/shard-00000/pixels.npy').shape; // [N, 28, 28, 1]
 */
export function encodePixelNpy(pixels: Uint8Array, shape: readonly [number, number, number, number]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== pixels.length) throw new InvalidInputError(`pixel shape [${shape.join(', ')}] holds ${count} values, got ${pixels.length}`);
  let header = `{'descr': '|u1', 'fortran_order': False, 'shape': (${shape.join(', ')}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + pixels.length);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(pixels, 10 + header.length);
  return out;
}

/** Reads a uint8 `[N, H, W, C]` `.npy`; anything else is an InvalidInputError naming `source`. The pixels are a view. */
export function decodePixelNpy(bytes: Uint8Array, source: string): { pixels: Uint8Array; shape: [number, number, number, number] } {
  const fail = (why: string): never => {
    throw new InvalidInputError(`${source} is not a valid uint8 image .npy file: ${why}`);
  };
  if (bytes.length < 10 || MAGIC.slice(0, 6).some((b, i) => bytes[i] !== b)) fail('bad magic');
  if (bytes[6] !== 1) fail(`unsupported version ${bytes[6]}`);
  const start = 10 + new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(8, true);
  if (start > bytes.length) fail('header runs past the end');
  const header = new TextDecoder().decode(bytes.subarray(10, start));
  if (!/'descr':\s*'\|u1'/.test(header)) fail('dtype is not |u1');
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? fail('no shape')).split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (shape.length !== 4 || shape.some((n) => !Number.isInteger(n) || n < 0)) fail(`shape (${shape.join(', ')}) is not [N, H, W, C]`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length - start !== count) fail(`expected ${count} pixel bytes for shape [${shape.join(', ')}], found ${bytes.length - start}`);
  return { pixels: bytes.subarray(start), shape: shape as [number, number, number, number] };
}
