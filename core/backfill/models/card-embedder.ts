import type * as ort from 'onnxruntime-node';
import { InvalidInputError } from '../../errors.ts';
import { loadOnnxRuntime } from '../../onnx-runtime.ts';
import { assertRowsNormalized, createFeatureMatrix, normalizeRows, type FeatureMatrix } from '../features.ts';
import type { ImageTensor } from '../images/preprocess.ts';
import { InputDtype, TensorLayout, type LoadedModelCard } from './model-card.ts';

export interface CardEmbedderOptions {
  readonly intraOpNumThreads?: number;
  /** The ONNX bytes (a gallery's stored copy) instead of reading `card.modelPath`. */
  readonly bytes?: Uint8Array;
}

/**
 * An ONNX image embedder opened through its model card: the graph's input and output are checked against the card
 * (names, dtype, layout, size, output dimension) when it opens, so a wrong card fails before any image is read.
 *
 * @example
 * const embedder = await CardEmbedder.open(await loadModelCard('models/photos/new.card.json'));
 * const features = await embedder.embed([await preprocessImage(bytes, embedder.card, 'a.jpg')]);
 */
export class CardEmbedder {
  readonly card: LoadedModelCard;
  private readonly session: ort.InferenceSession;
  /** The graph input images are fed to. */
  readonly inputName: string;
  private readonly shape: readonly number[];
  /** Whether the first batch of a card declaring `output.normalized` is still to be checked. */
  private unchecked: boolean;

  private constructor(card: LoadedModelCard, session: ort.InferenceSession, inputName: string) {
    this.card = card;
    this.session = session;
    this.inputName = inputName;
    this.unchecked = card.output.normalized;
    const { height, width, layout } = card.input;
    this.shape = layout === TensorLayout.nchw ? [card.channels, height, width] : [height, width, card.channels];
  }

  static async open(card: LoadedModelCard, options: CardEmbedderOptions = {}): Promise<CardEmbedder> {
    const where = `model ${card.modelPath} (card ${card.cardPath})`;
    let session: ort.InferenceSession;
    try {
      const sessionOptions: ort.InferenceSession.SessionOptions = {
        executionMode: 'sequential', graphOptimizationLevel: 'all', interOpNumThreads: 1,
        ...(options.intraOpNumThreads ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
      };
      const ortRuntime = loadOnnxRuntime();
      session = options.bytes
        ? await ortRuntime.InferenceSession.create(options.bytes, sessionOptions)
        : await ortRuntime.InferenceSession.create(card.modelPath, sessionOptions);
    } catch (cause) {
      const missing = /no such file|ENOENT|doesn't exist|not exist|Load model from .* failed/i.test((cause as Error).message);
      throw new InvalidInputError(`${where}: ${missing ? 'the ONNX file is missing or unreadable' : 'not a loadable ONNX model'} (${(cause as Error).message})`, { cause });
    }
    try {
      const input = card.input.name ? session.inputMetadata.find((m) => m.name === card.input.name) : session.inputMetadata.length === 1 ? session.inputMetadata[0] : undefined;
      if (!input) {
        throw new InvalidInputError(`${where}: ${card.input.name ? `has no input "${card.input.name}"` : 'has several inputs; name one in input.name'}; its inputs are ${session.inputNames.join(', ')}`);
      }
      if (!session.outputNames.includes(card.output.name)) {
        throw new InvalidInputError(`${where}: has no output "${card.output.name}" (output.name); its outputs are ${session.outputNames.join(', ')}`);
      }
      if (input.isTensor && input.type !== card.input.dtype) {
        throw new InvalidInputError(`${where}: input "${input.name}" is ${input.type}, the card says input.dtype ${card.input.dtype}`);
      }
      const embedder = new CardEmbedder(card, session, input.name);
      const declared = input.isTensor ? input.shape.slice(1) : [];
      if (declared.length !== 3 || declared.some((d, i) => typeof d === 'number' && d !== embedder.shape[i])) {
        throw new InvalidInputError(
          `${where}: input "${input.name}" is [${input.isTensor ? input.shape.join(', ') : '?'}], the card describes [N, ${embedder.shape.join(', ')}] (${card.input.layout})`,
        );
      }
      return embedder;
    } catch (error) {
      await session.release();
      throw error;
    }
  }

  /** The input shape per image, without the batch axis, in the card's layout. */
  get inputShape(): readonly number[] {
    return this.shape;
  }

  /** Values per image in the model's input. */
  get inputSize(): number {
    return this.shape[0] * this.shape[1] * this.shape[2];
  }

  /** Embeds preprocessed images (see `preprocessImage`); rows are L2-normalised. */
  async embed(images: readonly ImageTensor[]): Promise<FeatureMatrix> {
    return this.unitRows(createFeatureMatrix(await this.embedRaw(images), this.card.output.dim));
  }

  /** The model's output as it is, `images.length × output.dim` floats. */
  async embedRaw(images: readonly ImageTensor[]): Promise<Float32Array> {
    const size = this.inputSize;
    const float = this.card.input.dtype === InputDtype.float32;
    const data = float ? new Float32Array(images.length * size) : new Uint8Array(images.length * size);
    images.forEach((image, i) => {
      if (image.length !== size || (image instanceof Float32Array) !== float) {
        throw new InvalidInputError(`image ${i} holds ${image.length} ${image instanceof Float32Array ? 'float32' : 'uint8'} values; ${this.card.name} takes ${size} ${this.card.input.dtype}`);
      }
      data.set(image, i * size);
    });
    return this.runBatch(data, images.length);
  }

  /**
   * Embeds `count` images already laid out as one batch tensor in the card's layout and dtype (what `DecodePool`
   * returns); rows are L2-normalised.
   */
  async embedBatch(data: Float32Array | Uint8Array, count: number): Promise<FeatureMatrix> {
    const float = this.card.input.dtype === InputDtype.float32;
    if ((data instanceof Float32Array) !== float || data.length !== count * this.inputSize) {
      throw new InvalidInputError(`a batch of ${count} images holds ${data.length} ${data instanceof Float32Array ? 'float32' : 'uint8'} values; ${this.card.name} takes ${count * this.inputSize} ${this.card.input.dtype}`);
    }
    return this.unitRows(createFeatureMatrix(await this.runBatch(data, count), this.card.output.dim));
  }

  /**
   * L2-normalised rows: normalised here unless the card says the graph already does (`output.normalized`), which the
   * first batch checks, so a wrong card fails with its name instead of serving unnormalised features.
   */
  private unitRows(features: FeatureMatrix): FeatureMatrix {
    if (!this.card.output.normalized) return normalizeRows(features);
    if (this.unchecked && features.rows > 0) {
      assertRowsNormalized(features, `${this.card.modelPath} (card ${this.card.cardPath} says output.normalized)`);
      this.unchecked = false;
    }
    return features;
  }

  private async runBatch(data: Float32Array | Uint8Array, count: number): Promise<Float32Array> {
    const tensor = new (loadOnnxRuntime().Tensor)(this.card.input.dtype, data, [count, ...this.shape]);
    const result = (await this.session.run({ [this.inputName]: tensor }, [this.card.output.name]))[this.card.output.name];
    const dim = this.card.output.dim;
    if (result.type !== 'float32' || result.dims.length !== 2 || result.dims[1] !== dim || result.dims[0] !== count) {
      const found = `${result.type} [${result.dims.join(', ')}]`;
      result.dispose();
      throw new InvalidInputError(`${this.card.modelPath}: output "${this.card.output.name}" is ${found}, the card says float32 [${count}, ${dim}] (output.dim)`);
    }
    const out = Float32Array.from(result.data as Float32Array);
    result.dispose();
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
