import { InvalidInputError } from '../errors.ts';
import { imagesToNchw, type ImageSet } from './datasets/image-set.ts';
import { createFeatureMatrix, normalizeRows, type FeatureMatrix } from './features.ts';
import { openSingleIoSession, runBatched, type SessionOptions, type SingleIoSession } from './onnx/session.ts';

export interface EmbedderOptions extends SessionOptions {
  /** Images per onnxruntime call. Default 256. */
  readonly batchSize?: number;
  /** Re-normalise outputs to unit length, for models that do not end in an L2 normalisation. Default true. */
  readonly normalize?: boolean;
}

/**
 * An image embedding model in an ONNX file with input float32 NCHW `[N, C, H, W]` scaled to [0, 1] and output
 * `[N, d]`. The image shape comes from the model and every call is checked against it.
 *
 * @example
 * const embedder = await OnnxEmbedder.load('models/fashion-mnist/new.onnx', { intraOpNumThreads: 2 });
 * const features = await embedder.embedImages(gallery); // FeatureMatrix of gallery.ids.length x embedder.outputDim
 * await embedder.release();
 */
export class OnnxEmbedder {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly outputDim: number;
  readonly source: string;
  private readonly io: SingleIoSession;
  private readonly batchSize: number;
  private readonly normalize: boolean;
  /** Batch input buffers not in use by a call (`embedImages`). */
  private readonly freeInputs: Float32Array[] = [];

  private constructor(io: SingleIoSession, options: EmbedderOptions) {
    const [, c, h, w] = io.inputShape;
    const [, d] = io.outputShape;
    if (io.inputShape.length !== 4 || typeof c !== 'number' || typeof h !== 'number' || typeof w !== 'number') {
      throw new InvalidInputError(`${io.source}: input must be [N, C, H, W] with fixed C, H, W; it is [${io.inputShape.join(', ')}]`);
    }
    if (io.outputShape.length !== 2 || typeof d !== 'number') {
      throw new InvalidInputError(`${io.source}: output must be [N, d] with a fixed d; it is [${io.outputShape.join(', ')}]`);
    }
    const batchSize = options.batchSize ?? 256;
    if (!Number.isInteger(batchSize) || batchSize <= 0) throw new InvalidInputError(`batchSize must be a positive integer, got ${batchSize}`);
    this.io = io;
    this.channels = c;
    this.height = h;
    this.width = w;
    this.outputDim = d;
    this.source = io.source;
    this.batchSize = batchSize;
    this.normalize = options.normalize ?? true;
  }

  /** Opens a model from a file path or its bytes. */
  static async load(model: string | Uint8Array, options: EmbedderOptions = {}): Promise<OnnxEmbedder> {
    return new OnnxEmbedder(await openSingleIoSession(model, options), options);
  }

  /** Embeds images `[start, end)` of a set whose shape must match the model's input. */
  async embedImages(set: ImageSet, start = 0, end = set.ids.length): Promise<FeatureMatrix> {
    if (set.channels !== this.channels || set.height !== this.height || set.width !== this.width) {
      throw new InvalidInputError(
        `images are ${set.height}x${set.width} with ${set.channels} channel(s); ${this.source} expects ${this.height}x${this.width} with ${this.channels}`,
      );
    }
    if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= set.ids.length)) {
      throw new InvalidInputError(`image range [${start}, ${end}) is outside a set of ${set.ids.length} images`);
    }
    // One input buffer per call in flight, reused batch after batch and call after call (shards run at once each
    // take their own), so converting a batch allocates nothing: fewer large allocations, less GC.
    const size = this.channels * this.height * this.width;
    const input = this.freeInputs.pop() ?? new Float32Array(this.batchSize * size);
    try {
      return await this.run(end - start, (a, b) => imagesToNchw(set, start + a, start + b, input.subarray(0, (b - a) * size)));
    } finally {
      this.freeInputs.push(input);
    }
  }

  /** Embeds images already in the model's input layout: `count` NCHW float32 images in [0, 1]. */
  async embedNchw(data: Float32Array, count: number): Promise<FeatureMatrix> {
    const size = this.channels * this.height * this.width;
    if (data.length !== count * size) {
      throw new InvalidInputError(`input holds ${data.length} floats; ${count} images of ${this.channels}x${this.height}x${this.width} need ${count * size}`);
    }
    return this.run(count, (a, b) => data.subarray(a * size, b * size));
  }

  /** Frees the onnxruntime session. */
  async release(): Promise<void> {
    await this.io.session.release();
  }

  private async run(count: number, fill: (start: number, end: number) => Float32Array): Promise<FeatureMatrix> {
    const shape = [this.channels, this.height, this.width];
    const data = await runBatched(this.io, count, shape, this.outputDim, this.batchSize, fill);
    const features = createFeatureMatrix(data, this.outputDim);
    return this.normalize ? normalizeRows(features) : features;
  }
}
