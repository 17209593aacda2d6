import { readFile } from 'node:fs/promises';
import { InvalidInputError } from '../errors.ts';
import type { ImageSet } from './datasets/image-set.ts';
import { assertRowsNormalized, createFeatureMatrix, normalizeRows, type FeatureMatrix } from './features.ts';
import { openSingleIoSession, runBatched, type SessionOptions, type SingleIoSession } from './onnx/session.ts';
import { withUint8Input } from './onnx/uint8-input.ts';

export interface EmbedderOptions extends SessionOptions {
  /** Images per onnxruntime call. Default 256. */
  readonly batchSize?: number;
  /** Re-normalise outputs to unit length, for models that do not end in an L2 normalisation. Default true. */
  readonly normalize?: boolean;
  /**
   * The model ends in an L2 normalisation (a card's `output.normalized`): rows are not normalised again, and the
   * first batch's rows are checked to be unit length, so a model that is not fails with an InvalidInputError instead
   * of serving unnormalised features. Overrides `normalize`.
   */
  readonly outputNormalized?: boolean;
}

/**
 * An image embedding model in an ONNX file with input float32 NCHW `[N, C, H, W]` scaled to [0, 1] and output
 * `[N, d]`. The image shape comes from the model and every call is checked against it. `embedImages` feeds the
 * uint8 pixels themselves to a copy of the graph that converts them first (`withUint8Input`, opened on first use):
 * onnxruntime's cast and divide replace the JavaScript conversion and its buffer, with the same features bit for bit
 * (backfill-pipeline/reembed-throughput).
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
  private readonly model: string | Uint8Array;
  private readonly options: EmbedderOptions;
  private readonly batchSize: number;
  private readonly normalize: boolean;
  /** Whether the first batch of an `outputNormalized` model is still to be checked. */
  private unchecked: boolean;
  /** The graph taking uint8 pixels, opened by the first `embedImages`. */
  private pixels?: Promise<SingleIoSession>;

  private constructor(io: SingleIoSession, model: string | Uint8Array, options: EmbedderOptions) {
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
    this.model = model;
    this.options = options;
    this.channels = c;
    this.height = h;
    this.width = w;
    this.outputDim = d;
    this.source = io.source;
    this.batchSize = batchSize;
    this.normalize = !options.outputNormalized && (options.normalize ?? true);
    this.unchecked = options.outputNormalized ?? false;
  }

  /** Opens a model from a file path or its bytes. */
  static async load(model: string | Uint8Array, options: EmbedderOptions = {}): Promise<OnnxEmbedder> {
    return new OnnxEmbedder(await openSingleIoSession(model, options), model, options);
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
    // The pixels go in as they are (views of the set, no copy); the graph casts, scales and lays them out.
    const size = this.channels * this.height * this.width;
    const shape = this.channels === 1 ? [1, this.height, this.width] : [this.height, this.width, this.channels];
    return this.run(await this.pixelSession(), end - start, shape, (a, b) => set.pixels.subarray((start + a) * size, (start + b) * size));
  }

  /** Embeds images already in the model's input layout: `count` NCHW float32 images in [0, 1]. */
  async embedNchw(data: Float32Array, count: number): Promise<FeatureMatrix> {
    const size = this.channels * this.height * this.width;
    if (data.length !== count * size) {
      throw new InvalidInputError(`input holds ${data.length} floats; ${count} images of ${this.channels}x${this.height}x${this.width} need ${count * size}`);
    }
    return this.run(this.io, count, [this.channels, this.height, this.width], (a, b) => data.subarray(a * size, b * size));
  }

  /** Frees the onnxruntime sessions: both, even when freeing one fails (the first failure is then thrown). */
  async release(): Promise<void> {
    const failures: unknown[] = [];
    const releases = [() => this.io.session.release(), async () => (await this.pixels?.catch(() => undefined))?.session.release()];
    for (const release of releases) {
      try {
        await release();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  }

  private pixelSession(): Promise<SingleIoSession> {
    this.pixels ??= (async () => {
      const bytes = typeof this.model === 'string' ? new Uint8Array(await readFile(this.model)) : this.model;
      return openSingleIoSession(withUint8Input(bytes, this.source), this.options, 'uint8', this.source);
    })();
    return this.pixels;
  }

  private async run(io: SingleIoSession, count: number, shape: readonly number[], fill: (start: number, end: number) => Float32Array | Uint8Array): Promise<FeatureMatrix> {
    const data = await runBatched(io, count, shape, this.outputDim, this.batchSize, fill);
    const features = createFeatureMatrix(data, this.outputDim);
    if (this.unchecked && features.rows > 0) {
      assertRowsNormalized(features, `${this.source} (declared to end in an L2 normalisation)`);
      this.unchecked = false;
    }
    return this.normalize ? normalizeRows(features) : features;
  }
}
