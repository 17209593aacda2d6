import * as tf from '@tensorflow/tfjs';

const NEG = -1e9;

/**
 * Supervised contrastive loss with one softmax over several blocks of candidates. Block k scores
 * `anchors_k · candidates_kᵀ / τ`; the anchors of all blocks are the same B samples (seen in different spaces),
 * candidates are B samples each. For anchor i, the positives are every candidate of the same label except the
 * anchor itself in a block marked `excludeSelf`; every other candidate, in any block, is a negative.
 *
 * With blocks [new·newᵀ (excludeSelf), ψ(new)·oldᵀ] this is the metric-compatible loss: a positive in either
 * space must outscore the negatives of both spaces, so new-space and old-space cosines become comparable.
 */
export function supConBlocks(
  blocks: readonly { anchors: tf.Tensor2D; candidates: tf.Tensor2D; excludeSelf: boolean }[],
  labels: tf.Tensor1D,
  temperature: number,
): tf.Scalar {
  const b = labels.shape[0];
  const same = tf.equal(labels.expandDims(1), labels.expandDims(0)).toFloat() as tf.Tensor2D;
  const eye = tf.eye(b);
  const logits = tf.concat(blocks.map((k) => {
    const s = tf.div(tf.matMul(k.anchors, k.candidates, false, true), temperature);
    return k.excludeSelf ? tf.add(s, tf.mul(eye, NEG)) : s;
  }), 1);
  const positives = tf.concat(blocks.map((k) => (k.excludeSelf ? tf.mul(same, tf.sub(1, eye)) : same)), 1);
  const logProb = tf.sub(logits, tf.logSumExp(logits, 1, true));
  const perAnchor = tf.div(tf.sum(tf.mul(positives, logProb), 1), tf.maximum(tf.sum(positives, 1), 1));
  return tf.neg(tf.mean(perAnchor)) as tf.Scalar;
}

/** Mean softmax cross-entropy of logits against integer labels. */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, classes: number): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, classes), logits) as tf.Scalar;
}

/** Mean of 1 − cos between row-aligned unit vectors: ψ(φ_new(x)) should land on φ_old(x). */
export function alignment(a: tf.Tensor2D, b: tf.Tensor2D): tf.Scalar {
  return tf.mean(tf.sub(1, tf.sum(tf.mul(a, b), 1)));
}
