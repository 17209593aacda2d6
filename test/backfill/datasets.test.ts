import { describe, expect, it } from 'vitest';
import { loadBuiltinDataset } from '../../core/backfill/datasets/builtin.ts';
import { loadFashionMnist } from '../../core/backfill/datasets/fashion-mnist.ts';
import { concatImageSets, imagesToNchw, subsetImages, type ImageSet } from '../../core/backfill/datasets/image-set.ts';
import { parseJsonPixelRows } from '../../core/backfill/datasets/json-pixel-rows.ts';
import { loadMnist } from '../../core/backfill/datasets/mnist.ts';
import { splitImageSet } from '../../core/backfill/datasets/split.ts';

const fashion = await loadFashionMnist();
const mnist = await loadMnist();

function classCounts(labels: ArrayLike<number>): number[] {
  const counts = new Array(10).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}

describe('built-in datasets', () => {
  it('loads Fashion-MNIST as 70,000 28x28 grayscale images, 7,000 per class', () => {
    expect(fashion.ids.length).toBe(70_000);
    expect(fashion.pixels.length).toBe(70_000 * 28 * 28);
    expect([fashion.height, fashion.width, fashion.channels]).toEqual([28, 28, 1]);
    expect(classCounts(fashion.labels)).toEqual(new Array(10).fill(7000));
    expect(new Set(fashion.ids).size).toBe(70_000);
  });

  it('loads MNIST train and test files together, keeping the original split in the ids', () => {
    expect(mnist.ids.length).toBe(70_000);
    expect(mnist.ids[59_999]).toBe('mnist/train/59999');
    expect(mnist.ids[60_000]).toBe('mnist/test/0');
    expect(classCounts(mnist.labels).reduce((a, b) => a + b, 0)).toBe(70_000);
    expect(mnist.labels[0]).toBe(5); // the well-known first training digit
  });

  it('holds real images, not blank buffers', () => {
    for (const set of [fashion, mnist]) {
      const first = set.pixels.subarray(0, 784);
      expect(Math.max(...first)).toBeGreaterThan(200);
      expect(first.filter((p) => p === 0).length).toBeGreaterThan(100);
    }
  });

  it('names the built-in datasets when asked for an unknown one', async () => {
    await expect(loadBuiltinDataset('cifar')).rejects.toThrow(/unknown dataset "cifar"; built-in datasets are fashion-mnist, mnist/);
  });
});

describe('splitImageSet', () => {
  const split = splitImageSet(fashion);

  it('splits into disjoint train, gallery and query parts covering every image', () => {
    const all = [...split.train, ...split.gallery, ...split.query];
    expect(new Set(all).size).toBe(70_000);
    expect([split.train.length, split.gallery.length, split.query.length]).toEqual([49_000, 19_600, 1_400]);
  });

  it('stratifies every part by class', () => {
    expect(classCounts(Array.from(split.query, (i) => fashion.labels[i]))).toEqual(new Array(10).fill(140));
    expect(classCounts(Array.from(split.gallery, (i) => fashion.labels[i]))).toEqual(new Array(10).fill(1960));
  });

  it('is the same for the same seed, different for another, and independent of load order', () => {
    // Prepare: the same images in reverse order
    const reversed = subsetImages(fashion, Array.from({ length: 70_000 }, (_, i) => 69_999 - i));
    // Act
    const again = splitImageSet(fashion);
    const other = splitImageSet(fashion, { seed: 7 });
    const fromReversed = splitImageSet(reversed);
    // Assess
    expect(again).toEqual(split);
    expect(other.query).not.toEqual(split.query);
    const ids = (set: ImageSet, idx: Uint32Array) => Array.from(idx, (i) => set.ids[i]).sort();
    expect(ids(reversed, fromReversed.query)).toEqual(ids(fashion, split.query));
  });

  it('rejects fractions that do not fit in one', () => {
    expect(() => splitImageSet(mnist, { queryFraction: 0.5, galleryFraction: 0.6 })).toThrow(/sum to at most 1/);
  });
});

describe('image set helpers', () => {
  it('scales pixels to [0, 1] in NCHW order', () => {
    const set: ImageSet = { ids: ['a'], labels: Int32Array.of(0), pixels: Uint8Array.of(0, 255, 51, 102, 10, 20), height: 1, width: 2, channels: 3 };
    // HWC pixels (0,255,51) and (102,10,20) → channel planes [0,102], [255,10], [51,20]
    const expected = [0, 102, 255, 10, 51, 20].map((v) => v / 255);
    imagesToNchw(set).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 7));
  });

  it('concatenates sets and refuses mismatched shapes', () => {
    const a = subsetImages(mnist, [0, 1]);
    const b = subsetImages(fashion, [5]);
    expect(concatImageSets([a, b]).ids).toEqual(['mnist/train/0', 'mnist/train/1', 'fashion-mnist/0/5']);
    expect(() => concatImageSets([a, { ...b, height: 27 }])).toThrow(/differ in shape/);
  });
});

describe('parseJsonPixelRows', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  it('packs rows, skipping empty ones and remembering their positions', () => {
    const rows = parseJsonPixelRows(bytes('{"data":[[1,2,3],[],[255,0,7]]}'), 3, 'x.json');
    expect(Array.from(rows.pixels)).toEqual([1, 2, 3, 255, 0, 7]);
    expect(Array.from(rows.sourceRows)).toEqual([0, 2]);
  });

  it('names the file and row of malformed data', () => {
    expect(() => parseJsonPixelRows(bytes('{"data":[[1,2]]}'), 3, 'c.json')).toThrow(/c.json: row 0 has 2 values, expected 3/);
    expect(() => parseJsonPixelRows(bytes('{"data":[[1,2,300]]}'), 3, 'c.json')).toThrow(/pixel value 300 in row 0/);
    expect(() => parseJsonPixelRows(bytes('{"data":[[1,2,3],[4'), 3, 'c.json')).toThrow(/truncated/);
  });
});
