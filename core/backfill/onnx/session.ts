import type * as ort from 'onnxruntime-node';
import { InvalidInputError } from '../../errors.ts';
import { loadOnnxRuntime } from '../../onnx-runtime.ts';

export interface SessionOptions {
  /** Threads onnxruntime may use inside one operator. Default: onnxruntime's choice (all cores). */
  readonly intraOpNumThreads?: number;
}

/** A loaded ONNX model with one float32 input and one float32 output, and their declared shapes. */
export interface SingleIoSession {
  readonly session: ort.InferenceSession;
  readonly inputName: string;
  readonly outputName: string;
  /** Declared shapes; symbolic dimensions (such as the batch axis) are strings. */
  readonly inputShape: ReadonlyArray<number | string>;
  readonly outputShape: ReadonlyArray<number | string>;
  readonly source: string;
}

/** Opens an ONNX file (path or bytes) that has exactly one float32 input and output. */
export async function openSingleIoSession(model: string | Uint8Array, options: SessionOptions = {}): Promise<SingleIoSession> {
  const source = typeof model === 'string' ? model : `<${model.byteLength} bytes of ONNX>`;
  const threads = options.intraOpNumThreads;
  if (threads !== undefined && !(Number.isInteger(threads) && threads > 0)) {
    throw new InvalidInputError(`intraOpNumThreads must be a positive integer, got ${threads}`);
  }
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    interOpNumThreads: 1,
    ...(threads === undefined ? {} : { intraOpNumThreads: threads }),
  };
  let session: ort.InferenceSession;
  try {
    session = typeof model === 'string'
      ? await loadOnnxRuntime().InferenceSession.create(model, sessionOptions)
      : await loadOnnxRuntime().InferenceSession.create(model, sessionOptions);
  } catch (cause) {
    throw new InvalidInputError(`${source}: not a loadable ONNX model (${(cause as Error).message})`, { cause });
  }
  const [input, ...moreInputs] = session.inputMetadata;
  const [output, ...moreOutputs] = session.outputMetadata;
  if (!input || !output || moreInputs.length > 0 || moreOutputs.length > 0) {
    throw new InvalidInputError(`${source}: expected one input and one output, found ${session.inputNames.length} and ${session.outputNames.length}`);
  }
  if (!input.isTensor || input.type !== 'float32' || !output.isTensor || output.type !== 'float32') {
    throw new InvalidInputError(`${source}: input and output must be float32 tensors`);
  }
  return { session, inputName: input.name, outputName: output.name, inputShape: input.shape, outputShape: output.shape, source };
}

/**
 * Runs `rows` samples of `rowSize` floats each through the session in batches, and returns the outputs
 * concatenated, `outDim` floats per sample. `sampleShape` is the input shape without the batch axis.
 */
export async function runBatched(
  io: SingleIoSession,
  rows: number,
  sampleShape: readonly number[],
  outDim: number,
  batchSize: number,
  fill: (start: number, end: number) => Float32Array,
): Promise<Float32Array> {
  const out = new Float32Array(rows * outDim);
  // onnxruntime-node 1.30 runs a session synchronously on the JS thread (after a setImmediate), so preparing the
  // next batch during a run would overlap nothing; batches simply go one after another.
  for (let start = 0; start < rows; start += batchSize) {
    const end = Math.min(rows, start + batchSize);
    const input = new (loadOnnxRuntime().Tensor)('float32', fill(start, end), [end - start, ...sampleShape]);
    const result = (await io.session.run({ [io.inputName]: input }))[io.outputName];
    const data = result.data as Float32Array;
    if (data.length !== (end - start) * outDim) {
      throw new InvalidInputError(`${io.source}: output has shape [${result.dims.join(', ')}], expected [${end - start}, ${outDim}]`);
    }
    out.set(data, start * outDim);
    result.dispose();
  }
  return out;
}
