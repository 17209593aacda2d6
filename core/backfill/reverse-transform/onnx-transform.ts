import { InvalidInputError } from '../../errors.ts';
import { assertDim, createFeatureMatrix, normalizeRows, type FeatureMatrix } from '../features.ts';
import { openSingleIoSession, runBatched, type SessionOptions, type SingleIoSession } from '../onnx/session.ts';
import type { FeatureTransform } from './feature-transform.ts';

/**
 * A ψ stored as an ONNX file with input `[N, inDim]` and output `[N, outDim]` (float32), run with onnxruntime.
 *
 * @example
 * const psi = await OnnxTransform.load('models/fashion-mnist/psi.onnx');
 * const asOld = await psi.apply(newFeatures);
 */
export class OnnxTransform implements FeatureTransform {
  readonly inDim: number;
  readonly outDim: number;
  readonly label: string;
  private readonly io: SingleIoSession;
  private readonly batchSize: number;

  private constructor(io: SingleIoSession, batchSize: number) {
    const [, inDim] = io.inputShape;
    const [, outDim] = io.outputShape;
    if (io.inputShape.length !== 2 || typeof inDim !== 'number' || io.outputShape.length !== 2 || typeof outDim !== 'number') {
      throw new InvalidInputError(
        `${io.source}: a feature transform must map [N, d_in] to [N, d_out] with fixed dims; it maps [${io.inputShape.join(', ')}] to [${io.outputShape.join(', ')}]`,
      );
    }
    this.io = io;
    this.inDim = inDim;
    this.outDim = outDim;
    this.label = `onnx:${io.source}`;
    this.batchSize = batchSize;
  }

  static async load(model: string | Uint8Array, options: SessionOptions & { batchSize?: number } = {}): Promise<OnnxTransform> {
    return new OnnxTransform(await openSingleIoSession(model, options), options.batchSize ?? 4096);
  }

  async apply(features: FeatureMatrix): Promise<FeatureMatrix> {
    assertDim(features, this.inDim, `input of the transform ${this.label}`);
    const data = await runBatched(this.io, features.rows, [this.inDim], this.outDim, this.batchSize, (a, b) =>
      features.data.subarray(a * this.inDim, b * this.inDim));
    return normalizeRows(createFeatureMatrix(data, this.outDim));
  }

  async release(): Promise<void> {
    await this.io.session.release();
  }
}
