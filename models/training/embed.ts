import * as tf from '@tensorflow/tfjs';
import { createFeatureMatrix, type FeatureMatrix } from '../../core/backfill/features.ts';
import { l2Normalize, mlpForward, type Mlp } from './dense.ts';

/** Runs an MLP (+ L2 normalisation) over rows of `x` in batches and returns the features. */
export function embedWithTf(mlp: Mlp, x: tf.Tensor2D, batchSize = 2048): FeatureMatrix {
  const dim = mlp.layers[mlp.layers.length - 1].outDim;
  const out = new Float32Array(x.shape[0] * dim);
  for (let s = 0; s < x.shape[0]; s += batchSize) {
    const e = Math.min(x.shape[0], s + batchSize);
    const y = tf.tidy(() => l2Normalize(mlpForward(mlp, x.slice([s, 0], [e - s, x.shape[1]]))));
    out.set(y.dataSync(), s * dim);
    y.dispose();
  }
  return createFeatureMatrix(out, dim);
}
