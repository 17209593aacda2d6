import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { InvalidInputError } from '../../errors.ts';
import type { TextEmbedder } from '../../llm/embeddings.ts';
import { meanPool, normalize } from './mean-pool.ts';
import { loadOnnxRuntime } from '../../onnx-runtime.ts';
import { WordPieceTokenizer, type Encoding } from './wordpiece-tokenizer.ts';

export interface OnnxSentenceEmbedderOptions {
  /** A BERT-style sentence-embedding model (e.g. all-MiniLM-L6-v2 exported to ONNX). */
  readonly modelPath: string;
  /** Its WordPiece vocabulary; `vocab.txt` next to the model by default. */
  readonly vocabPath?: string;
  readonly lowercase?: boolean;
  /** Tokens per text, [CLS] and [SEP] included; 128 by default. */
  readonly maxLength?: number;
  /** Texts per inference call; 32 by default. */
  readonly batchSize?: number;
  readonly intraOpNumThreads?: number;
}

const HIDDEN_OUTPUTS = ['last_hidden_state', 'token_embeddings'];

/**
 * A sentence-embedding ONNX model run by onnxruntime-node: WordPiece tokens in (`input_ids`, `attention_mask`,
 * and `token_type_ids` when the model takes it), mean pooling over `last_hidden_state` with the attention mask,
 * unit-length vectors out. A model that already outputs pooled `[batch, width]` vectors is used as it is. The name
 * carries a hash of the model file, so a replay buffer refuses vectors from a different model under the same name.
 *
 * @example
 * const embedder = await OnnxSentenceEmbedder.open({ modelPath: 'models/minilm/model.onnx' });
 * const [vector] = await embedder.embed(['page: search\naction: search[red shirt]']);
 */
export class OnnxSentenceEmbedder implements TextEmbedder {
  readonly name: string;
  dimension: number | undefined;
  private readonly ort: typeof Ort;
  private readonly session: Ort.InferenceSession;
  private readonly tokenizer: WordPieceTokenizer;
  private readonly batchSize: number;
  private readonly output: string;
  private readonly integerType: 'int64' | 'int32';

  private constructor(name: string, session: Ort.InferenceSession, tokenizer: WordPieceTokenizer, options: OnnxSentenceEmbedderOptions) {
    this.name = name;
    this.ort = loadOnnxRuntime();
    this.session = session;
    this.tokenizer = tokenizer;
    this.batchSize = Math.max(1, Math.floor(options.batchSize ?? 32));
    this.output = session.outputNames.find((n) => HIDDEN_OUTPUTS.includes(n)) ?? session.outputNames[0];
    const ids = session.inputMetadata.find((m) => m.name === 'input_ids');
    this.integerType = ids?.isTensor && ids.type === 'int32' ? 'int32' : 'int64';
    const out = session.outputMetadata.find((m) => m.name === this.output);
    const width = out?.isTensor ? out.shape.at(-1) : undefined;
    this.dimension = typeof width === 'number' ? width : undefined;
  }

  static async open(options: OnnxSentenceEmbedderOptions): Promise<OnnxSentenceEmbedder> {
    const vocabPath = options.vocabPath ?? path.join(path.dirname(options.modelPath), 'vocab.txt');
    const [model, vocab] = await Promise.all([
      readFile(options.modelPath, 'ONNX model'),
      readFile(vocabPath, 'WordPiece vocabulary (vocab.txt)'),
    ]);
    const tokenizer = WordPieceTokenizer.fromVocab(vocab.toString('utf8'), options, vocabPath);
    const ort = loadOnnxRuntime();
    let session: Ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(model, {
        graphOptimizationLevel: 'all', executionMode: 'sequential', interOpNumThreads: 1,
        ...(options.intraOpNumThreads ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
      });
    } catch (cause) {
      throw new InvalidInputError(`${options.modelPath}: not a loadable ONNX model (${(cause as Error).message})`, { cause });
    }
    for (const required of ['input_ids', 'attention_mask']) {
      if (!session.inputNames.includes(required)) {
        throw new InvalidInputError(`${options.modelPath}: a sentence-embedding model needs an input named ${required}; it has ${session.inputNames.join(', ')}`);
      }
    }
    const hash = createHash('sha256').update(model).digest('hex').slice(0, 12);
    return new OnnxSentenceEmbedder(`onnx:${path.basename(options.modelPath)}@${hash}`, session, tokenizer, options);
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      out.push(...(await this.embedBatch(texts.slice(i, i + this.batchSize).map((t) => this.tokenizer.encode(t)))));
    }
    return out;
  }

  async close(): Promise<void> {
    await this.session.release();
  }

  private async embedBatch(encodings: readonly Encoding[]): Promise<Float32Array[]> {
    const batch = encodings.length;
    const sequence = Math.max(...encodings.map((e) => e.ids.length));
    const ids = new Array<number>(batch * sequence).fill(this.tokenizer.padId);
    const mask = new Array<number>(batch * sequence).fill(0);
    encodings.forEach((e, b) => e.ids.forEach((id, s) => {
      ids[b * sequence + s] = id;
      mask[b * sequence + s] = 1;
    }));
    const tensor = (values: number[]) => this.integerType === 'int64'
      ? new this.ort.Tensor('int64', BigInt64Array.from(values, BigInt), [batch, sequence])
      : new this.ort.Tensor('int32', Int32Array.from(values), [batch, sequence]);
    const feeds: Record<string, Ort.Tensor> = { input_ids: tensor(ids), attention_mask: tensor(mask) };
    if (this.session.inputNames.includes('token_type_ids')) feeds.token_type_ids = tensor(new Array(batch * sequence).fill(0));
    const result = await this.session.run(feeds);
    const hidden = result[this.output] as Ort.Tensor;
    const data = hidden.data as Float32Array;
    const dims = hidden.dims;
    let vectors: Float32Array[];
    if (dims.length === 3 && dims[0] === batch && dims[1] === sequence) {
      vectors = meanPool(data, mask, batch, sequence, dims[2]);
    } else if (dims.length === 2 && dims[0] === batch) {
      vectors = Array.from({ length: batch }, (_, b) => normalize(data.slice(b * dims[1], (b + 1) * dims[1])));
    } else {
      throw new InvalidInputError(`ONNX output ${this.output} has shape [${dims.join(', ')}]; expected [${batch}, ${sequence}, width] or [${batch}, width]`);
    }
    this.dimension ??= vectors[0]?.length;
    return vectors;
  }
}

async function readFile(file: string, what: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (cause) {
    throw new InvalidInputError(`cannot read the ${what} at ${file}: ${(cause as Error).message}`, { cause });
  }
}
