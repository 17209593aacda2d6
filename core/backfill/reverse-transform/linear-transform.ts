import { assertDim, createFeatureMatrix, normalizeRows, type FeatureMatrix } from '../features.ts';
import type { OnnxLayer } from '../onnx/layers.ts';
import type { FeatureTransform } from './feature-transform.ts';

/**
 * ψ as `y = normalize(x · W + b)`, `W` being `inDim × outDim` row-major: what `fitReverseTransform` returns.
 *
 * @example
 * const psi = new LinearTransform({ weights, inDim: 64, outDim: 64, label: 'procrustes(64→64)' });
 * const asOld = psi.applySync(newFeatures);
 */
export class LinearTransform implements FeatureTransform {
  readonly weights: Float32Array;
  readonly bias: Float32Array | undefined;
  readonly inDim: number;
  readonly outDim: number;
  readonly label: string;

  constructor(init: { weights: Float32Array; bias?: Float32Array; inDim: number; outDim: number; label: string }) {
    this.weights = init.weights;
    this.bias = init.bias;
    this.inDim = init.inDim;
    this.outDim = init.outDim;
    this.label = init.label;
  }

  async apply(features: FeatureMatrix): Promise<FeatureMatrix> {
    return this.applySync(features);
  }

  applySync(features: FeatureMatrix): FeatureMatrix {
    assertDim(features, this.inDim, `input of the transform ${this.label}`);
    const { inDim, outDim, weights, bias } = this;
    const out = new Float32Array(features.rows * outDim);
    const acc = new Float64Array(outDim);
    for (let r = 0; r < features.rows; r++) {
      if (bias) for (let j = 0; j < outDim; j++) acc[j] = bias[j];
      else acc.fill(0);
      for (let i = 0; i < inDim; i++) {
        const x = features.data[r * inDim + i];
        if (x === 0) continue;
        const o = i * outDim;
        for (let j = 0; j < outDim; j++) acc[j] += x * weights[o + j];
      }
      out.set(acc, r * outDim);
    }
    return normalizeRows(createFeatureMatrix(out, outDim));
  }

  /** The same map as ONNX layers, for `exportSequentialOnnx` with input shape `[inDim]`. */
  toOnnxLayers(): OnnxLayer[] {
    return [
      { type: 'dense', weights: this.weights, bias: this.bias, inDim: this.inDim, outDim: this.outDim },
      { type: 'l2Normalize', epsilon: 1e-12 },
    ];
  }
}
