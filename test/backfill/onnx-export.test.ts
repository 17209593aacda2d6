import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { exportSequentialOnnx } from '../../core/backfill/onnx/export.ts';
import type { OnnxLayer } from '../../core/backfill/onnx/layers.ts';
import { createRng } from '../../core/random.ts';

const rng = createRng(21);
const rand = (n: number) => Float32Array.from({ length: n }, () => rng.normal() * 0.5);

// A tiny CNN on 1×6×6 images: conv 3×3 (2 filters, same padding) → relu → maxpool 2 → flatten (nhwc) → dense 18→3 → L2.
const conv = { weights: rand(2 * 1 * 3 * 3), bias: rand(2) };
const dense = { weights: rand(18 * 3), bias: rand(3) };
const layers: OnnxLayer[] = [
  { type: 'conv2d', ...conv, inChannels: 1, outChannels: 2, kernel: [3, 3], pads: [1, 1, 1, 1] },
  { type: 'relu' },
  { type: 'maxPool2d', kernel: [2, 2], stride: [2, 2] },
  { type: 'flatten', order: 'nhwc' },
  { type: 'dense', ...dense, inDim: 18, outDim: 3 },
  { type: 'l2Normalize', epsilon: 1e-12 },
];

/** The same network written out loop by loop, as the ground truth. */
function reference(image: Float32Array): number[] {
  const convOut = (o: number, y: number, x: number) => {
    let s = conv.bias[o];
    for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) {
      const iy = y + ky - 1, ix = x + kx - 1;
      if (iy >= 0 && iy < 6 && ix >= 0 && ix < 6) s += conv.weights[o * 9 + ky * 3 + kx] * image[iy * 6 + ix];
    }
    return Math.max(0, s);
  };
  const flat: number[] = [];
  for (let y = 0; y < 3; y++) for (let x = 0; x < 3; x++) for (let o = 0; o < 2; o++) {
    flat.push(Math.max(convOut(o, 2 * y, 2 * x), convOut(o, 2 * y, 2 * x + 1), convOut(o, 2 * y + 1, 2 * x), convOut(o, 2 * y + 1, 2 * x + 1)));
  }
  const out = [0, 1, 2].map((j) => flat.reduce((s, v, i) => s + v * dense.weights[i * 3 + j], dense.bias[j]));
  const norm = Math.sqrt(out.reduce((s, v) => s + v * v, 0));
  return out.map((v) => v / norm);
}

describe('exportSequentialOnnx', () => {
  it('writes a network that onnxruntime runs to the same outputs as a loop-by-loop reference', async () => {
    // Prepare
    const bytes = exportSequentialOnnx({ input: { name: 'image', shape: [1, 6, 6] }, outputName: 'embedding', layers });
    const session = await ort.InferenceSession.create(bytes);
    const images = Float32Array.from({ length: 4 * 36 }, () => rng.next());
    // Act
    const result = await session.run({ image: new ort.Tensor('float32', images, [4, 1, 6, 6]) });
    // Assess
    const output = result.embedding;
    expect(output.dims).toEqual([4, 3]);
    for (let n = 0; n < 4; n++) {
      const expected = reference(images.subarray(n * 36, (n + 1) * 36));
      expected.forEach((v, j) => expect(Math.abs((output.data as Float32Array)[n * 3 + j] - v)).toBeLessThan(1e-5));
    }
    await session.release();
  });

  it('declares a symbolic batch axis and the output shape', async () => {
    const session = await ort.InferenceSession.create(exportSequentialOnnx({ input: { name: 'image', shape: [1, 6, 6] }, outputName: 'embedding', layers }));
    expect(session.inputMetadata[0]).toMatchObject({ name: 'image', shape: ['N', 1, 6, 6] });
    expect(session.outputMetadata[0]).toMatchObject({ name: 'embedding', shape: ['N', 3] });
    await session.release();
  });

  it('names the layer whose weights do not fit the shape that reaches it', () => {
    const bad: OnnxLayer[] = [{ type: 'flatten', order: 'nchw' }, { type: 'dense', weights: rand(35 * 3), inDim: 35, outDim: 3 }];
    expect(() => exportSequentialOnnx({ input: { name: 'image', shape: [1, 6, 6] }, outputName: 'embedding', layers: bad }))
      .toThrow(/layer 1 \(dense\): expects \[35\]; input shape \[36\]/);
  });
});
