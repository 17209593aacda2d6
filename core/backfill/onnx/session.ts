import type * as ort from 'onnxruntime-node';
import { InvalidInputError } from '../../errors.ts';
import { loadOnnxRuntime } from '../../onnx-runtime.ts';

export interface SessionOptions {
  /** Threads onnxruntime may use inside one operator. Default: onnxruntime's choice (all cores). */
  readonly intraOpNumThreads?: number;
}

/** The element types a single-input session may take (its output is always float32). */
export type SessionInputType = 'float32' | 'uint8';

/** A loaded ONNX model with one input (float32 unless opened for uint8) and one float32 output, and their declared shapes. */
export interface SingleIoSession {
  readonly session: ort.InferenceSession;
  readonly inputName: string;
  readonly inputType: SessionInputType;
  readonly outputName: string;
  /** Declared shapes; symbolic dimensions (such as the batch axis) are strings. */
  readonly inputShape: ReadonlyArray<number | string>;
  readonly outputShape: ReadonlyArray<number | string>;
  readonly source: string;
}

/** Opens an ONNX file (path or bytes) that has exactly one input (of `inputType`, default float32) and one float32 output. */
export async function openSingleIoSession(
  model: string | Uint8Array, options: SessionOptions = {}, inputType: SessionInputType = 'float32', source = typeof model === 'string' ? model : `<${model.byteLength} bytes of ONNX>`,
): Promise<SingleIoSession> {
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
  if (!input.isTensor || input.type !== inputType || !output.isTensor || output.type !== 'float32') {
    throw new InvalidInputError(`${source}: input must be a ${inputType} tensor and output a float32 one`);
  }
  return { session, inputName: input.name, inputType, outputName: output.name, inputShape: input.shape, outputShape: output.shape, source };
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
  fill: (start: number, end: number) => Float32Array | Uint8Array,
): Promise<Float32Array> {
  const out = new Float32Array(rows * outDim);
  // onnxruntime-node 1.30 runs a session synchronously on the JS thread (after a setImmediate), so preparing the
  // next batch during a run would overlap nothing; batches simply go one after another.
  for (let start = 0; start < rows; start += batchSize) {
    const end = Math.min(rows, start + batchSize);
    const data = fill(start, end);
    const input = io.inputType === 'uint8'
      ? new (loadOnnxRuntime().Tensor)('uint8', data as Uint8Array, [end - start, ...sampleShape])
      : new (loadOnnxRuntime().Tensor)('float32', data as Float32Array, [end - start, ...sampleShape]);
    const result = (await io.session.run({ [io.inputName]: input }))[io.outputName];
    const output = result.data as Float32Array;
    if (output.length !== (end - start) * outDim) {
      throw new InvalidInputError(`${io.source}: output has shape [${result.dims.join(', ')}], expected [${end - start}, ${outDim}]`);
    }
    out.set(output, start * outDim);
    result.dispose();
  }
  return out;
}
