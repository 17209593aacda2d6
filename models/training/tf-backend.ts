import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Starts tfjs on its WebAssembly backend (about 5x the pure-JS backend here). Training only: nothing under core/
 * imports tfjs. The wasm backend has no Conv2D weight gradient, so the trained models are MLPs.
 */
export async function initTensorflow(): Promise<typeof tf> {
  const require = createRequire(import.meta.url);
  const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
  setWasmPaths(dist);
  if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs wasm backend did not start');
  await tf.ready();
  return tf;
}
