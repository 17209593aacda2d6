import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { checkImageLimits, decodeToCrop, preprocessImage } from '../../core/backfill/images/preprocess.ts';
import { parseModelCard, type ModelCard } from '../../core/backfill/models/model-card.ts';

function card(input: Partial<ModelCard['input']>) {
  return parseModelCard({
    version: 1, name: 't', model: 'm.onnx',
    input: { height: 2, width: 2, channelOrder: 'RGB', layout: 'NCHW', dtype: 'float32', ...input },
    output: { name: 'e', dim: 4 },
  }, '/cards/t.card.json');
}

/** A width×height image whose left half is red and right half blue. */
async function halves(width: number, height: number) {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set(x < width / 2 ? [255, 0, 0] : [0, 0, 255], (y * width + x) * 3);
  return sharp(raw, { raw: { width, height, channels: 3 } });
}

/** A PNG signature and an IHDR chunk claiming `width × height`: a header only, as a decompression bomb starts. */
function pngHeader(width: number, height: number): Uint8Array {
  const bytes = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes, 0);
  bytes.writeUInt32BE(13, 8);
  bytes.write('IHDR', 12, 'ascii');
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  bytes.set([8, 2, 0, 0, 0], 24);
  return bytes;
}

describe('preprocessing an image as its model card says', () => {
  it('applies the EXIF orientation before resizing and cropping', async () => {
    // Prepare: stored 40×20 (red left, blue right) with orientation 6 (shown rotated 90° clockwise: 20×40, red on top).
    const bytes = await (await halves(40, 20)).jpeg({ quality: 100 }).withMetadata({ orientation: 6 }).toBuffer();
    // Act
    const pixels = await decodeToCrop(bytes, card({ height: 40, width: 20, resizeShorter: 20 }), 'rotated.jpg');
    // Assess: top rows red, bottom rows blue.
    const at = (x: number, y: number) => Array.from(pixels.subarray((y * 20 + x) * 3, (y * 20 + x) * 3 + 3));
    expect(at(10, 2)[0]).toBeGreaterThan(200);
    expect(at(10, 2)[2]).toBeLessThan(60);
    expect(at(10, 37)[2]).toBeGreaterThan(200);
    expect(at(10, 37)[0]).toBeLessThan(60);
  });

  it('resizes the shorter side and crops the centre of the longer one', async () => {
    // Prepare: 300×100, red left half, blue right half; shorter side → 2, so the 6×2 resize is cropped to its middle 2×2.
    const bytes = await (await halves(300, 100)).png().toBuffer();
    // Act
    const pixels = await decodeToCrop(bytes, card({ resizeShorter: 2 }), 'wide.png');
    // Assess: the centre column pair straddles the boundary: left red, right blue.
    expect(pixels[0]).toBeGreaterThan(150);
    expect(pixels[5]).toBeGreaterThan(150);
  });

  it('swaps to BGR, subtracts mean and divides by std per channel, and lays out NCHW or NHWC', async () => {
    // Prepare: one flat colour (R=255, G=128, B=0).
    const bytes = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 255, g: 128, b: 0 } } }).png().toBuffer();
    const mean = [0.5, 0.25, 0], std = [0.5, 0.25, 1];
    // Act
    const nchw = await preprocessImage(bytes, card({ channelOrder: 'BGR', mean, std }), 'flat.png');
    const nhwc = await preprocessImage(bytes, card({ channelOrder: 'BGR', mean, std, layout: 'NHWC' }), 'flat.png');
    // Assess: BGR order: B=0 → (0-0.5)/0.5 = -1; G → (128/255-0.25)/0.25; R=255 → (1-0)/1 = 1.
    const g = (128 / 255 - 0.25) / 0.25;
    expect(Array.from(nchw.subarray(0, 4))).toEqual([-1, -1, -1, -1].map((v) => expect.closeTo(v, 5)));
    expect(nchw[4]).toBeCloseTo(g, 5);
    expect(nchw[8]).toBeCloseTo(1, 5);
    expect(Array.from(nhwc.subarray(0, 3)).map((v) => Number(v.toFixed(5)))).toEqual([-1, Number(g.toFixed(5)), 1]);
  });

  it('gives uint8 models raw pixels, expands grayscale to three channels and flattens alpha onto black', async () => {
    // Prepare
    const gray = await sharp({ create: { width: 4, height: 4, channels: 3, background: { r: 90, g: 90, b: 90 } } }).grayscale().png().toBuffer();
    const clear = await sharp({ create: { width: 4, height: 4, channels: 4, background: { r: 200, g: 200, b: 200, alpha: 0 } } }).png().toBuffer();
    // Act
    const fromGray = await preprocessImage(gray, card({ dtype: 'uint8', layout: 'NHWC' }), 'gray.png');
    const fromAlpha = await preprocessImage(clear, card({ dtype: 'uint8' }), 'clear.png');
    const toGray = await preprocessImage(await (await halves(4, 4)).png().toBuffer(), card({ dtype: 'uint8', channelOrder: 'GRAY' }), 'rb.png');
    // Assess
    expect(fromGray).toBeInstanceOf(Uint8Array);
    expect(Array.from(fromGray)).toEqual(new Array(12).fill(90));
    expect(Array.from(fromAlpha)).toEqual(new Array(12).fill(0));
    expect(toGray).toHaveLength(4);
  });

  it('decodes WebP', async () => {
    const bytes = await sharp({ create: { width: 30, height: 20, channels: 3, background: '#00ff00' } }).webp().toBuffer();
    const pixels = await decodeToCrop(bytes, card({}), 'green.webp');
    expect(pixels[1]).toBeGreaterThan(200);
  });
});

describe('hostile images', () => {
  it('refuses a 20000×20000 image from its header alone, naming the object', async () => {
    // Prepare: the header of a 400-megapixel PNG (33 bytes; decoding it would take gigabytes).
    const bomb = pngHeader(20000, 20000);
    // Act
    const refused = preprocessImage(bomb, card({}), 's3://photos/bomb.png');
    // Assess
    await expect(refused).rejects.toThrow(/s3:\/\/photos\/bomb\.png: image is 20000x20000 \(400000000 pixels\), over the limit of 40000000 pixels/);
  });

  it('refuses a file over the byte limit before reading its header, and an empty or non-image file', async () => {
    const png = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#000' } }).png().toBuffer();
    expect(() => checkImageLimits(png, 'big.png', { maxBytes: 10 })).toThrow(/big\.png: \d+ bytes, over the limit of 10 bytes/);
    expect(() => checkImageLimits(new Uint8Array(), 'empty.jpg')).toThrow(/empty\.jpg: the image file is empty/);
    await expect(preprocessImage(new TextEncoder().encode('not an image at all'), card({}), 'notes.webp')).rejects.toThrow(/notes\.webp: not a PNG or JPEG file/);
  });

  it('refuses a truncated image with an error naming it, not a crash', async () => {
    const jpeg = await (await halves(64, 64)).jpeg().toBuffer();
    await expect(preprocessImage(jpeg.subarray(0, jpeg.length / 2), card({}), 'cut.jpg')).rejects.toThrow(/cut\.jpg: could not decode image/);
  });
});
