import { ConflictError } from '../../errors.ts';
import { sha256 } from '../../store/batch.ts';
import type { FeatureMatrix } from '../features.ts';
import { createFeatureMatrix } from '../features.ts';
import { decodeWorkersAvailable, defaultDecodeWorkers } from '../images/decode-pool.ts';
import type { DecodeItem } from '../images/decode-messages.ts';
import { sharedDecodePool } from '../images/shared-decode-pool.ts';
import { preprocessImage, type ImageLimits, type ImageTensor } from '../images/preprocess.ts';
import type { CardEmbedder } from '../models/card-embedder.ts';
import { describeSource, openSourceItem, type OpenSourceStore } from '../sources/image-source.ts';

/** A source object a shard references: its id and, once ingested, the hash its bytes must still have. */
export interface SourceRef {
  readonly sourceId: string;
  readonly sha256?: string;
}

export interface EmbedSourceOptions extends ImageLimits {
  readonly openStore?: OpenSourceStore;
  /**
   * Worker threads that read, decode and preprocess while onnxruntime runs on this thread (REVERIE_DECODE_WORKERS).
   * 0 decodes on this thread, one image after another. Default `defaultDecodeWorkers()`, or 0 where the worker module
   * is missing (a function bundle shipped without `decode-worker.mjs`); a count > 0 there fails with UnavailableError.
   */
  readonly decodeWorkers?: number;
}

/** Images per onnxruntime call when embedding source objects. */
const BATCH = 64;
/** Batches decoded ahead per worker: enough to keep inference fed, few enough to keep memory flat. */
const PREFETCH_PER_WORKER = 2;

/**
 * Reads each referenced object from the source again, checks it is the object that was ingested (SHA-256), and
 * embeds it with the card's preprocessing, a batch at a time: the re-embedding step of a streamed gallery. With decode
 * workers, batches are decoded ahead (at most two per worker) in worker threads while the model runs here; an image
 * error fails the call naming the object, a worker crash fails it and shuts the pool down.
 *
 * @example
 * const features = await embedSourceRefs('s3://photos/cats', items, embedder, { openStore });
 */
export async function embedSourceRefs(source: string, refs: readonly SourceRef[], embedder: CardEmbedder, options: EmbedSourceOptions = {}): Promise<FeatureMatrix> {
  // Unconfigured, a bundle shipped without its worker file decodes here; a configured count fails naming the file.
  const workers = options.decodeWorkers ?? (decodeWorkersAvailable() ? defaultDecodeWorkers() : 0);
  if (workers === 0 || refs.length === 0) return embedOnThisThread(source, refs, embedder, options);
  const dim = embedder.card.output.dim;
  const out = new Float32Array(refs.length * dim);
  // The process's warm pool for this card (shared by shards run at once and one after another; see sharedDecodePool).
  const pool = sharedDecodePool(embedder.card, { size: workers, maxPixels: options.maxPixels, maxBytes: options.maxBytes });
  // A folder is read by the workers; other sources (S3) are read here, by the adapter, and the bytes handed over.
  const readHere = describeSource(source).kind !== 'folder';
  const starts = Array.from({ length: Math.ceil(refs.length / BATCH) }, (_, b) => b * BATCH);
  const queued: Promise<Float32Array | Uint8Array>[] = [];
  const enqueue = (start: number) => {
    const part = refs.slice(start, start + BATCH);
    const batch = (async () => pool.decode(source, readHere ? await readItems(source, part, options.openStore) : part))();
    batch.catch(() => undefined); // awaited in order below; a later batch's failure must not go unhandled meanwhile
    queued.push(batch);
  };
  // On an error the shard stops here; its few batches already queued finish in the pool and are dropped.
  let next = 0;
  while (next < starts.length && queued.length < workers * PREFETCH_PER_WORKER) enqueue(starts[next++]);
  for (const start of starts) {
    const tensor = await queued.shift()!;
    if (next < starts.length) enqueue(starts[next++]);
    out.set((await embedder.embedBatch(tensor, Math.min(BATCH, refs.length - start))).data, start * dim);
  }
  return createFeatureMatrix(out, dim);
}

async function readItems(source: string, part: readonly SourceRef[], openStore?: OpenSourceStore): Promise<DecodeItem[]> {
  // Copied when the bytes are a view into a larger buffer, so the transfer to a worker moves only this image.
  const owned = (bytes: Uint8Array) => (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes));
  // All read at once; a failure names the earliest item that failed, not whichever read failed first.
  const read = await Promise.allSettled(part.map(async (ref) => ({ ...ref, bytes: owned(await openSourceItem(source, ref.sourceId, openStore)) })));
  const failed = read.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return read.map((r) => (r as PromiseFulfilledResult<DecodeItem>).value);
}

/** The path without workers: read, check, decode and embed on the calling thread, one image after another. */
async function embedOnThisThread(source: string, refs: readonly SourceRef[], embedder: CardEmbedder, options: EmbedSourceOptions): Promise<FeatureMatrix> {
  const dim = embedder.card.output.dim;
  const out = new Float32Array(refs.length * dim);
  for (let start = 0; start < refs.length; start += BATCH) {
    const part = refs.slice(start, start + BATCH);
    const tensors: ImageTensor[] = [];
    for (const ref of part) {
      const bytes = await openSourceItem(source, ref.sourceId, options.openStore);
      if (ref.sha256 && sha256(bytes) !== ref.sha256) {
        throw new ConflictError(`${source}/${ref.sourceId} changed since it was ingested (its SHA-256 differs); ingest the gallery again`, { details: { file: ref.sourceId } });
      }
      tensors.push(await preprocessImage(bytes, embedder.card, `${source}/${ref.sourceId}`, options));
    }
    out.set((await embedder.embed(tensors)).data, start * dim);
  }
  return createFeatureMatrix(out, dim);
}
