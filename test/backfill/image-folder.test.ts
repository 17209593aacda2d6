import jpeg from 'jpeg-js';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../core/errors.ts';
import { decodeImage, type ImageShape } from '../../core/backfill/datasets/decode-image.ts';
import { decodeImageFolder } from '../../core/backfill/datasets/image-folder.ts';
import { NO_LABEL } from '../../core/backfill/datasets/image-set.ts';

const GRAY_28 = { height: 28, width: 28, channels: 1 } as const;

/** A PNG of the given size; `rgb` picks a colour image, otherwise grayscale, pixel value from `value(x, y)`. */
function png(width: number, height: number, value: (x: number, y: number) => number, rgb = false): Buffer {
  const image = new PNG({ width, height });
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const o = 4 * (y * width + x), v = value(x, y);
    image.data[o] = v; image.data[o + 1] = rgb ? 255 - v : v; image.data[o + 2] = v; image.data[o + 3] = 255;
  }
  return PNG.sync.write(image, { colorType: rgb ? 2 : 0 });
}

function jpg(width: number, height: number, rgb: [number, number, number]): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let p = 0; p < width * height; p++) data.set([...rgb, 255], 4 * p);
  return jpeg.encode({ width, height, data }, 95).data;
}

describe('decodeImageFolder', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'reverie-images-'));
    await mkdir(path.join(root, 'good', 'shoes'), { recursive: true });
    await mkdir(path.join(root, 'good', 'bags'), { recursive: true });
    await writeFile(path.join(root, 'good', 'shoes', 'a.png'), png(28, 28, (x, y) => x + y));
    await writeFile(path.join(root, 'good', 'bags', 'b.PNG'), png(28, 28, () => 9));
    await writeFile(path.join(root, 'good', 'bags', 'c.jpg'), jpg(28, 28, [128, 128, 128]));
    await writeFile(path.join(root, 'good', 'bags', 'notes.txt'), 'not an image');
    await writeFile(path.join(root, 'good', 'loose.png'), png(28, 28, () => 1));
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('decodes every image, labelling each by its sorted sub-folder', async () => {
    // Act
    const set = await decodeImageFolder(path.join(root, 'good'), GRAY_28);
    // Assess
    expect(set.ids).toEqual(['bags/b.PNG', 'bags/c.jpg', 'loose.png', 'shoes/a.png']);
    expect(set.classes).toEqual(['bags', 'shoes']);
    expect(Array.from(set.labels)).toEqual([0, 0, NO_LABEL, 1]);
    expect(set.pixels.length).toBe(4 * 784);
    const shoe = set.pixels.subarray(3 * 784, 4 * 784);
    expect([shoe[0], shoe[27], shoe[28 * 27 + 27]]).toEqual([0, 27, 54]);
    expect(Math.abs(set.pixels[784] - 128)).toBeLessThanOrEqual(2); // JPEG is lossy
  });

  async function decodeOne(name: string, bytes: Buffer | string, shape: ImageShape = GRAY_28, toGrayscale = false) {
    const dir = await mkdtemp(path.join(root, 'case-'));
    await writeFile(path.join(dir, name), bytes);
    return decodeImageFolder(dir, shape, { toGrayscale });
  }

  it('names a file that cannot be read', async () => {
    const dir = await mkdtemp(path.join(root, 'link-'));
    await symlink(path.join(dir, 'missing.png'), path.join(dir, 'broken.png'));
    await expect(decodeImageFolder(dir, GRAY_28)).rejects.toThrow(/broken\.png: the image file could not be read/);
  });

  it('names an empty file', async () => {
    await expect(decodeOne('empty.png', '')).rejects.toThrow(/empty\.png: the image file is empty/);
  });

  it('names a file that is not an image', async () => {
    await expect(decodeOne('fake.jpg', 'hello')).rejects.toThrow(/fake\.jpg: not a PNG or JPEG file/);
  });

  it('names a corrupt PNG', async () => {
    const truncated = png(28, 28, () => 3).subarray(0, 60);
    await expect(decodeOne('cut.png', truncated)).rejects.toThrow(/cut\.png: could not decode image/);
  });

  it('names an image of the wrong size', async () => {
    await expect(decodeOne('big.png', png(32, 30, () => 0))).rejects.toThrow(/big\.png: image is 32x30 \(width x height\), expected 28x28/);
  });

  it('refuses a colour image where grayscale is expected, unless conversion is asked for', async () => {
    const colour = png(28, 28, () => 200, true);
    await expect(decodeOne('red.png', colour)).rejects.toThrow(/red\.png: image has 3 channel\(s\) \(colour\), expected 1; pass toGrayscale/);
    const set = await decodeOne('red.png', colour, GRAY_28, true);
    expect(set.pixels[0]).toBe(Math.round(0.299 * 200 + 0.587 * 55 + 0.114 * 200));
  });

  it('refuses a grayscale image where colour is expected', async () => {
    await expect(decodeOne('g.png', png(28, 28, () => 5), { height: 28, width: 28, channels: 3 })).rejects.toThrow(/g\.png: image has 1 channel\(s\) \(grayscale\), expected 3/);
  });

  it('keeps colour images as RGB when three channels are expected', async () => {
    const set = await decodeOne('c.jpg', jpg(28, 28, [250, 10, 10]), { height: 28, width: 28, channels: 3 });
    expect(set.pixels[0]).toBeGreaterThan(240);
    expect(set.pixels[1]).toBeLessThan(20);
  });

  it('fails with InvalidInputError on a folder without images', async () => {
    const dir = await mkdtemp(path.join(root, 'none-'));
    await expect(decodeImageFolder(dir, GRAY_28)).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe('decodeImage', () => {
  it('carries the file name in the error details', () => {
    try {
      decodeImage(new Uint8Array(0), 'q.png', GRAY_28);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).details).toEqual({ file: 'q.png' });
    }
  });
});
