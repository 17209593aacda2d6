import { DataCorruptError, InvalidInputError } from '../errors.ts';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * NumPy `.npy` (format 1.0) for float32 little-endian matrices, the format embedding shards are stored in so that
 * `numpy.load` reads them without Reverie.
 *
 * @example
 * const bytes = encodeNpy(new Float32Array([1, 2, 3, 4]), [2, 2]);
 * const { data, shape } = decodeNpy(bytes, 'shard-0001.npy'); // shape [2, 2]
 */
export function encodeNpy(data: Float32Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new InvalidInputError(`npy shape [${shape.join(', ')}] holds ${count} values, got ${data.length}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in \n
  const unpadded = 10 + header.length + 1;
  header = header + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const offset = 10 + header.length;
  if (LITTLE_ENDIAN && offset % 4 === 0) {
    new Float32Array(out.buffer, offset, data.length).set(data);
  } else {
    const body = new DataView(out.buffer, offset);
    for (let i = 0; i < data.length; i++) body.setFloat32(i * 4, data[i], true);
  }
  return out;
}

export interface NpyMatrix {
  data: Float32Array;
  shape: number[];
}

/** Reads a float32 little-endian `.npy`; anything else (or a truncated file) is an error naming `source`. */
export function decodeNpy(bytes: Uint8Array, source = 'npy'): NpyMatrix {
  const fail = (why: string): never => {
    throw new DataCorruptError(`${source} is not a valid float32 .npy file: ${why}`, { details: { key: source } });
  };
  if (bytes.byteLength < 10 || bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== 'NUMPY') fail('bad magic');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const headerLength = major === 1 ? view.getUint16(8, true) : major === 2 || major === 3 ? view.getUint32(8, true) : fail(`unsupported version ${major}`);
  const start = (major === 1 ? 10 : 12) + headerLength;
  if (start > bytes.byteLength) fail('header runs past the end');
  const header = new TextDecoder().decode(bytes.subarray(major === 1 ? 10 : 12, start));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  if (descr !== '<f4') fail(`dtype ${descr ?? 'unknown'} (expected <f4)`);
  if (/'fortran_order':\s*True/.test(header)) fail('fortran order is not supported');
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? fail('no shape');
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (shape.some((n) => !Number.isInteger(n) || n < 0)) fail(`bad shape (${shapeText})`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.byteLength - start !== count * 4) fail(`expected ${count * 4} data bytes for shape [${shape.join(', ')}], found ${bytes.byteLength - start}`);
  const data = new Float32Array(count);
  if (LITTLE_ENDIAN) {
    // Copy the bytes (the source need not be 4-byte aligned), then read them as float32 on this little-endian host.
    new Uint8Array(data.buffer).set(bytes.subarray(start, start + count * 4));
  } else {
    const body = new DataView(bytes.buffer, bytes.byteOffset + start, count * 4);
    for (let i = 0; i < count; i++) data[i] = body.getFloat32(i * 4, true);
  }
  return { data, shape };
}
