import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PNG } from 'pngjs';
import { ingestGallery, type IngestOptions, type IngestSummary } from '../../core/backfill/gallery/ingest.ts';
import { exportSequentialOnnx } from '../../core/backfill/onnx/export.ts';
import { createRng } from '../../core/random.ts';
import type { Store } from '../../core/store/store.ts';
import type { ExecutionRecord } from '../../core/workflow/execution.ts';
import type { testRuntime } from '../helpers/runtime.ts';

export type TestRuntime = Awaited<ReturnType<typeof testRuntime>>;

/** A small slice of real MNIST: 1,000 gallery items in 4 shards of 250, 40 queries, Reverie's own models. */
export function ingestSmall(store: Store, options: Partial<IngestOptions> = {}): Promise<IngestSummary> {
  return ingestGallery(store, { dataset: 'mnist', galleryId: 'mn', maxItems: 1000, maxQueries: 40, shardSize: 250, ...options });
}

export async function runBackfill(runtime: TestRuntime, input: Record<string, unknown>): Promise<ExecutionRecord> {
  const engine = await runtime.engine();
  return engine.wait((await engine.start('backfill', input)).id);
}

export async function keys(store: Store, prefix: string): Promise<string[]> {
  const found: string[] = [];
  for await (const info of store.list(prefix)) found.push(info.key);
  return found;
}

/** The same store, recording every key read, so a test can tell which shards a run touched. */
export function countingStore(inner: Store): Store & { reads: string[] } {
  const reads: string[] = [];
  return Object.assign(Object.create(inner) as Store, {
    uri: inner.uri,
    reads,
    get: (key: string) => {
      reads.push(key);
      return inner.get(key);
    },
  });
}

/** The same store, whose writes of keys matching `failing` throw a network-style error the first `times` times. */
export function flakyStore(inner: Store, failing: RegExp, times: number): Store & { failures: number } {
  const flaky = Object.assign(Object.create(inner) as Store, {
    uri: inner.uri,
    failures: 0,
    put: async (key: string, body: Uint8Array | string) => {
      if (failing.test(key) && flaky.failures < times) {
        flaky.failures++;
        throw Object.assign(new Error(`connect ECONNRESET while writing ${key}`), { name: 'TimeoutError' });
      }
      return inner.put(key, body);
    },
  });
  return flaky;
}

/** A grayscale (or RGB) PNG whose pixel values come from `value(x, y)`. */
export function png(width: number, height: number, value: (x: number, y: number) => number, rgb = false): Buffer {
  const image = new PNG({ width, height });
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const o = 4 * (y * width + x), v = value(x, y);
    image.data[o] = v; image.data[o + 1] = rgb ? 255 - v : v; image.data[o + 2] = v; image.data[o + 3] = 255;
  }
  return PNG.sync.write(image, { colorType: rgb ? 2 : 0 });
}

/** Writes `count` 28×28 PNGs per class into `dir/<class>/`, each a distinct stroke pattern. */
export async function writeImageFolder(dir: string, classes: readonly string[], count: number): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  for (const [label, name] of classes.entries()) {
    await mkdir(path.join(dir, name), { recursive: true });
    for (let i = 0; i < count; i++) {
      await writeFile(path.join(dir, name, `${String(i).padStart(3, '0')}.png`), png(28, 28, (x, y) => ((label ? x : y) * 9 + i * 3) % 256));
    }
  }
}

/** A random linear ONNX model: `[N, ...input]` → L2-normalised `[N, outDim]` (an embedder, or a ψ when input is `[d]`). */
export function linearModel(input: readonly number[], outDim: number, seed = 1): Uint8Array {
  const inDim = input.reduce((a, b) => a * b, 1);
  const rng = createRng(seed);
  const weights = Float32Array.from({ length: inDim * outDim }, () => rng.normal() / Math.sqrt(inDim));
  return exportSequentialOnnx({
    input: { name: input.length > 1 ? 'image' : 'features', shape: input },
    outputName: 'embedding',
    layers: [
      ...(input.length > 1 ? [{ type: 'flatten', order: 'nchw' } as const] : []),
      { type: 'dense', weights, inDim, outDim },
      { type: 'l2Normalize', epsilon: 1e-12 },
    ],
  });
}
