import { createRequire } from 'node:module';
import type * as Ort from 'onnxruntime-node';
import { UnavailableError } from './errors.ts';

export type OnnxRuntime = typeof Ort;

let runtime: OnnxRuntime | undefined;

/**
 * onnxruntime-node, loaded with `require` rather than an ESM import: on Lambda it comes from a layer under
 * /opt/nodejs/node_modules, which Node's ESM resolver does not search but `require` does.
 *
 * Its telemetry is switched off before the native library loads (unless the user set ORT_DISABLE_TELEMETRY):
 * otherwise every process writes a `mat-debug-<pid>.log` to the temporary folder and a device id and database under
 * `~/.cache/Microsoft`, and Reverie writes nothing outside its store.
 */
export function loadOnnxRuntime(): OnnxRuntime {
  if (runtime) return runtime;
  process.env.ORT_DISABLE_TELEMETRY ??= '1';
  try {
    runtime = createRequire(import.meta.url)('onnxruntime-node') as OnnxRuntime;
  } catch (cause) {
    throw new UnavailableError(`onnxruntime-node is not installed or could not load its native binary: ${(cause as Error).message}`, { cause });
  }
  return runtime;
}
