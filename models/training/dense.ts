import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/random.ts';
import type { OnnxLayer } from '../../core/backfill/onnx/layers.ts';

/** A fully connected layer as two tfjs variables, initialised from Reverie's seeded RNG (Glorot uniform, zero bias). */
export interface Dense {
  readonly w: tf.Variable<tf.Rank.R2>;
  readonly b: tf.Variable<tf.Rank.R1>;
  readonly inDim: number;
  readonly outDim: number;
}

export function createDense(inDim: number, outDim: number, rng: Rng, name: string): Dense {
  const limit = Math.sqrt(6 / (inDim + outDim));
  const init = Float32Array.from({ length: inDim * outDim }, () => (2 * rng.next() - 1) * limit);
  return {
    w: tf.variable(tf.tensor2d(init, [inDim, outDim]), true, `${name}_w`),
    b: tf.variable(tf.zeros([outDim]), true, `${name}_b`),
    inDim,
    outDim,
  };
}

/** A stack of dense layers with ReLU between them (none after the last). */
export interface Mlp {
  readonly layers: readonly Dense[];
  readonly name: string;
}

export function createMlp(dims: readonly number[], rng: Rng, name: string): Mlp {
  const layers = dims.slice(1).map((out, i) => createDense(dims[i], out, rng.fork(`${name}:${i}`), `${name}_${i}`));
  return { layers, name };
}

export function mlpForward(mlp: Mlp, x: tf.Tensor2D): tf.Tensor2D {
  let h = x;
  mlp.layers.forEach((layer, i) => {
    h = tf.add(tf.matMul(h, layer.w), layer.b);
    if (i < mlp.layers.length - 1) h = tf.relu(h);
  });
  return h;
}

export function mlpVariables(mlp: Mlp): tf.Variable[] {
  return mlp.layers.flatMap((l) => [l.w, l.b]);
}

/** `x / sqrt(max(Σx², ε))`, the formula the ONNX export writes. */
export function l2Normalize(x: tf.Tensor2D, epsilon = 1e-12): tf.Tensor2D {
  return tf.div(x, tf.sqrt(tf.maximum(tf.sum(tf.square(x), 1, true), epsilon)));
}

/** The MLP (plus a final L2 normalisation) as ONNX layers; `flatten` first when the input is an image. */
export function mlpToOnnxLayers(mlp: Mlp, flattenImage: boolean): OnnxLayer[] {
  const layers: OnnxLayer[] = flattenImage ? [{ type: 'flatten', order: 'nchw' }] : [];
  mlp.layers.forEach((l, i) => {
    layers.push({ type: 'dense', weights: l.w.dataSync() as Float32Array, bias: l.b.dataSync() as Float32Array, inDim: l.inDim, outDim: l.outDim });
    if (i < mlp.layers.length - 1) layers.push({ type: 'relu' });
  });
  layers.push({ type: 'l2Normalize', epsilon: 1e-12 });
  return layers;
}
