/**
 * The layer vocabulary Reverie exports to ONNX: enough for the small CNN/MLP embedders and ψ it trains, and for
 * a closed-form linear ψ. Weight layouts are stated per layer so a trainer only has to transpose once.
 */
export type OnnxLayer =
  | Conv2dLayer
  | { readonly type: 'relu' }
  | MaxPool2dLayer
  | FlattenLayer
  | DenseLayer
  | L2NormalizeLayer;

export interface Conv2dLayer {
  readonly type: 'conv2d';
  /** `[outChannels, inChannels, kernelH, kernelW]`, ONNX's OIHW order (tfjs stores HWIO). */
  readonly weights: Float32Array;
  readonly bias: Float32Array;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: readonly [number, number];
  readonly stride?: readonly [number, number];
  /** `[top, left, bottom, right]`; "same" padding of a 3×3 stride-1 kernel is `[1, 1, 1, 1]`. */
  readonly pads?: readonly [number, number, number, number];
}

export interface MaxPool2dLayer {
  readonly type: 'maxPool2d';
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
}

export interface FlattenLayer {
  readonly type: 'flatten';
  /**
   * Element order of the flattened vector. `nchw` is ONNX's own; `nhwc` transposes first so that dense weights
   * trained in a channels-last framework (tfjs, Keras) can be used unchanged.
   */
  readonly order: 'nchw' | 'nhwc';
}

export interface DenseLayer {
  readonly type: 'dense';
  /** `[inDim, outDim]` row-major (tfjs's kernel layout), so `y = x · W + b`. */
  readonly weights: Float32Array;
  readonly bias?: Float32Array;
  readonly inDim: number;
  readonly outDim: number;
}

/** `y = x / sqrt(max(Σx², epsilon))` over the feature axis, the same formula Reverie's trainer uses. */
export interface L2NormalizeLayer {
  readonly type: 'l2Normalize';
  readonly epsilon: number;
}
