import type { ImageSet } from '../datasets/image-set.ts';
import { imageSize } from '../datasets/image-set.ts';
import type { OnnxEmbedder } from '../embedder.ts';
import { createFeatureMatrix, type FeatureMatrix } from '../features.ts';
import { sharedDecodePool } from '../images/shared-decode-pool.ts';

export interface EmbedPixelsOptions {
  /** Images per onnxruntime call (the embedder's own batch size should be at least this). */
  readonly batchSize: number;
  /** Worker threads converting pixels while the model runs; 0 (the default) converts on this thread. */
  readonly decodeWorkers?: number;
}

/** Batches converted ahead per worker. */
const PREFETCH_PER_WORKER = 2;

/**
 * Embeds decoded images (a built-in gallery's shard): each batch's uint8 → float conversion runs in a decode worker
 * while onnxruntime runs the batch before it on this thread, so the conversion leaves the inference thread. Features
 * equal `embedder.embedImages(set)` bit for bit. Off by default: on 2 cores with 4 shards at once the copies and
 * messages cost more than the conversion they move (backfill-pipeline/reembed-throughput: 0.47× vs 0.61× the bare
 * session); it may pay where cores are spare.
 *
 * @example
 * const features = await embedPixelSet(embedder, images, { batchSize: 256, decodeWorkers: 1 });
 */
export async function embedPixelSet(embedder: OnnxEmbedder, set: ImageSet, options: EmbedPixelsOptions): Promise<FeatureMatrix> {
  const workers = options.decodeWorkers ?? 0;
  const count = set.ids.length;
  if (workers === 0 || count === 0) return embedder.embedImages(set);
  // Checks the shape against the model before any worker is asked (an empty range embeds nothing).
  await embedder.embedImages(set, 0, 0);
  const pool = sharedDecodePool(undefined, { size: workers });
  const size = imageSize(set);
  const batch = options.batchSize;
  const out = new Float32Array(count * embedder.outputDim);
  const queued: Promise<Float32Array>[] = [];
  let next = 0;
  const enqueue = () => {
    const start = next;
    next = Math.min(count, next + batch);
    // A copy of the batch's pixels, so the transfer moves only it (the shard's array stays whole here).
    const converted = pool.toNchw(set.pixels.slice(start * size, next * size), next - start, set);
    converted.catch(() => undefined); // awaited in order below
    queued.push(converted);
  };
  while (next < count && queued.length < workers * PREFETCH_PER_WORKER) enqueue();
  for (let start = 0; start < count; start += batch) {
    const data = await queued.shift()!;
    if (next < count) enqueue();
    out.set((await embedder.embedNchw(data, Math.min(batch, count - start))).data, start * embedder.outputDim);
  }
  return createFeatureMatrix(out, embedder.outputDim);
}
