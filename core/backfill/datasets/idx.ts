import { InvalidInputError } from '../../errors.ts';

/** An unsigned-byte IDX tensor (the MNIST file format): its dimensions and its bytes, not copied. */
export interface IdxTensor {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

const UBYTE = 0x08;

/**
 * Parses an IDX file of unsigned bytes (magic `00 00 08 <ndims>`, big-endian uint32 dims, then data).
 *
 * @example
 * const images = parseIdx(await readFile('train-images-idx3-ubyte'), 'train images'); // dims [60000, 28, 28]
 */
export function parseIdx(bytes: Uint8Array, source: string): IdxTensor {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) throw new InvalidInputError(`${source}: not an IDX file (bad magic)`);
  if (bytes[2] !== UBYTE) throw new InvalidInputError(`${source}: IDX element type 0x${bytes[2].toString(16)} is not unsigned byte`);
  const ndims = bytes[3];
  const header = 4 + 4 * ndims;
  if (bytes.length < header) throw new InvalidInputError(`${source}: IDX header is truncated`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let d = 0; d < ndims; d++) dims.push(view.getUint32(4 + 4 * d, false));
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== header + size) {
    throw new InvalidInputError(`${source}: IDX dims ${dims.join('x')} need ${header + size} bytes, file has ${bytes.length}`);
  }
  return { dims, data: bytes.subarray(header) };
}
