import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/random.ts';
import { epochBatches } from './batches.ts';
import { createMlp, l2Normalize, mlpForward, mlpVariables, type Mlp } from './dense.ts';
import { alignment, supConBlocks } from './losses.ts';

export interface NewModelConfig {
  /** Backbone widths from input to embedding, e.g. [784, 256, 128, 64]. */
  readonly dims: readonly number[];
  /** ψ widths from new embedding to old embedding, e.g. [64, 128, 64]. */
  readonly psiDims: readonly number[];
  readonly epochs: number;
  /** Extra epochs training ψ alone on the frozen new model. */
  readonly psiEpochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly temperature: number;
  /** Weight of the 1 − cos(ψ(new), old) alignment term. */
  readonly alignWeight: number;
}

/**
 * The *new* model and ψ, trained jointly with the metric-compatible contrastive loss (BACKFILL.md):
 * `supCon([new·newᵀ, ψ(new)·oldᵀ]) + alignWeight · (1 − cos(ψ(new), old))`, the old features being the frozen old
 * model's. The first block makes the new model discriminative; the second puts ψ-queries against old gallery
 * features into the same softmax, so old-part and new-part cosines become comparable for the merge.
 */
export function trainNewModel(
  x: tf.Tensor2D,
  labels: tf.Tensor1D,
  oldFeatures: tf.Tensor2D,
  config: NewModelConfig,
  rng: Rng,
  log: (line: string) => void,
): { backbone: Mlp; psi: Mlp } {
  const backbone = createMlp(config.dims, rng.fork('new'), 'new');
  const psi = createMlp(config.psiDims, rng.fork('psi'), 'psi');
  let frozenNew: tf.Tensor2D | undefined;
  const loss = (batch: Int32Array, train: 'joint' | 'psi') => tf.tidy(() => {
    const idx = tf.tensor1d(batch, 'int32');
    const yb = tf.gather(labels, idx);
    const ob = tf.gather(oldFeatures, idx);
    const n = train === 'joint' ? l2Normalize(mlpForward(backbone, tf.gather(x, idx))) : tf.gather(frozenNew!, idx);
    const r = l2Normalize(mlpForward(psi, n));
    const blocks = [
      ...(train === 'joint' ? [{ anchors: n, candidates: n, excludeSelf: true }] : []),
      { anchors: r, candidates: ob, excludeSelf: false },
    ];
    return tf.add(supConBlocks(blocks, yb, config.temperature), tf.mul(alignment(r, ob), config.alignWeight)) as tf.Scalar;
  });
  const run = (phase: 'joint' | 'psi', epochs: number, variables: tf.Variable[]) => {
    const optimizer = tf.train.adam(config.learningRate);
    for (let epoch = 0; epoch < epochs; epoch++) {
      let sum = 0;
      const batches = epochBatches(x.shape[0], config.batchSize, rng.fork(`${phase}-epoch-${epoch}`));
      for (const batch of batches) {
        const cost = optimizer.minimize(() => loss(batch, phase), true, variables);
        sum += cost!.dataSync()[0];
        cost!.dispose();
      }
      log(`${phase} epoch ${epoch + 1}/${epochs}: loss ${(sum / batches.length).toFixed(4)}`);
    }
    optimizer.dispose();
  };
  run('joint', config.epochs, [...mlpVariables(backbone), ...mlpVariables(psi)]);
  if (config.psiEpochs > 0) {
    frozenNew = tf.tidy(() => l2Normalize(mlpForward(backbone, x)));
    run('psi', config.psiEpochs, mlpVariables(psi));
    frozenNew.dispose();
  }
  return { backbone, psi };
}
