import { createRequire } from 'node:module';
import type * as Ort from 'onnxruntime-node';
import { UnavailableError } from './errors.ts';

export type OnnxRuntime = typeof Ort;

let runtime: OnnxRuntime | undefined;

/**
 * onnxruntime-node, loaded with `require` rather than an ESM import: on Lambda it comes from a layer under
 * /opt/nodejs/node_modules, which Node's ESM resolver does not search but `require` does.
 */
export function loadOnnxRuntime(): OnnxRuntime {
  if (runtime) return runtime;
  try {
    runtime = createRequire(import.meta.url)('onnxruntime-node') as OnnxRuntime;
  } catch (cause) {
    throw new UnavailableError(`onnxruntime-node is not installed or could not load its native binary: ${(cause as Error).message}`, { cause });
  }
  return runtime;
}
