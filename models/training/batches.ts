import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/random.ts';
import type { ImageSet } from '../../core/backfill/datasets/image-set.ts';

/** Flattened float32 images in [0, 1] (the models' input scaling; for one channel NCHW and NHWC agree). */
export function imagesToTensor(set: ImageSet, indices: ArrayLike<number>): tf.Tensor2D {
  const size = set.height * set.width * set.channels;
  const out = new Float32Array(indices.length * size);
  for (let r = 0; r < indices.length; r++) {
    const src = indices[r] * size;
    for (let p = 0; p < size; p++) out[r * size + p] = set.pixels[src + p] / 255;
  }
  return tf.tensor2d(out, [indices.length, size]);
}

/** Minibatches of positions 0..count-1 in a fresh seeded order; the last partial batch is dropped. */
export function epochBatches(count: number, batchSize: number, rng: Rng): Int32Array[] {
  const order = rng.shuffle(Array.from({ length: count }, (_, i) => i));
  const out: Int32Array[] = [];
  for (let s = 0; s + batchSize <= count; s += batchSize) out.push(Int32Array.from(order.slice(s, s + batchSize)));
  return out;
}
