import type { FeatureMatrix } from '../features.ts';

/**
 * A map from one embedding space to another, applied row by row: Reverie's ψ (new → old). Both the trained ψ in an
 * ONNX file (`OnnxTransform`) and the closed-form fit (`LinearTransform` from `fitReverseTransform`) implement it,
 * so search code does not care where ψ came from. Outputs are L2-normalised.
 *
 * @example
 * const oldSpaceQuery = await psi.apply(newQueryFeatures); // newQueryFeatures.dim === psi.inDim
 */
export interface FeatureTransform {
  readonly inDim: number;
  readonly outDim: number;
  /** A short description for logs and results, such as `onnx:models/mnist/psi.onnx` or `procrustes(64→64)`. */
  readonly label: string;
  apply(features: FeatureMatrix): Promise<FeatureMatrix>;
}
