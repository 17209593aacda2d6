import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { exportSequentialOnnx } from '../../core/backfill/onnx/export.ts';
import { createRng } from '../../core/random.ts';
import { createMlp, mlpToOnnxLayers } from '../../models/training/dense.ts';
import { embedWithTf } from '../../models/training/embed.ts';

describe('tfjs → ONNX export of the trainer\'s MLPs', () => {
  it('reproduces the tfjs embedding to within float rounding', async () => {
    // Prepare: an untrained image MLP, seeded, the same code path models/train.ts exports
    await tf.setBackend('cpu');
    const mlp = createMlp([64, 32, 16, 8], createRng(3), 'parity');
    const rng = createRng(4);
    const images = Float32Array.from({ length: 20 * 64 }, () => rng.next());
    const expected = embedWithTf(mlp, tf.tensor2d(images, [20, 64]));
    const bytes = exportSequentialOnnx({ input: { name: 'image', shape: [1, 8, 8] }, outputName: 'embedding', layers: mlpToOnnxLayers(mlp, true) });
    const session = await ort.InferenceSession.create(bytes);
    // Act
    const out = (await session.run({ image: new ort.Tensor('float32', images, [20, 1, 8, 8]) })).embedding.data as Float32Array;
    // Assess
    const maxAbsDiff = out.reduce((m, v, i) => Math.max(m, Math.abs(v - expected.data[i])), 0);
    expect(out.length).toBe(20 * 8);
    expect(maxAbsDiff).toBeLessThan(1e-5);
    await session.release();
  });
});
