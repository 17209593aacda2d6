import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/random.ts';
import { epochBatches } from './batches.ts';
import { createDense, createMlp, mlpForward, mlpVariables, type Mlp } from './dense.ts';
import { crossEntropy } from './losses.ts';

export interface OldModelConfig {
  /** Layer widths from input to embedding, e.g. [784, 128, 64]. */
  readonly dims: readonly number[];
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
}

/**
 * The *old* model: an MLP trained as a plain classifier (softmax head on the embedding, dropped afterwards), the way
 * a first production embedder usually comes about. Its embedding is the pre-head layer, L2-normalised at export.
 */
export function trainOldModel(x: tf.Tensor2D, labels: tf.Tensor1D, classes: number, config: OldModelConfig, rng: Rng, log: (line: string) => void): Mlp {
  const mlp = createMlp(config.dims, rng.fork('old'), 'old');
  const head = createDense(config.dims[config.dims.length - 1], classes, rng.fork('old-head'), 'old_head');
  const optimizer = tf.train.adam(config.learningRate);
  const variables = [...mlpVariables(mlp), head.w, head.b];
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    let sum = 0;
    const batches = epochBatches(x.shape[0], config.batchSize, rng.fork(`old-epoch-${epoch}`));
    for (const batch of batches) {
      const cost = optimizer.minimize(() => tf.tidy(() => {
        const idx = tf.tensor1d(batch, 'int32');
        const logits = tf.add(tf.matMul(tf.relu(mlpForward(mlp, tf.gather(x, idx))), head.w), head.b) as tf.Tensor2D;
        return crossEntropy(logits, tf.gather(labels, idx), classes);
      }), true, variables);
      sum += cost!.dataSync()[0];
      cost!.dispose();
    }
    log(`old epoch ${epoch + 1}/${config.epochs}: cross-entropy ${(sum / batches.length).toFixed(4)}`);
  }
  optimizer.dispose();
  head.w.dispose();
  head.b.dispose();
  return mlp;
}
