import { parentPort, workerData } from 'node:worker_threads';
import { ConflictError } from '../../errors.ts';
import { sha256 } from '../../store/batch.ts';
import type { LoadedModelCard } from '../models/model-card.ts';
import { openSourceItem } from '../sources/image-source.ts';
import { preprocessImage, type ImageLimits } from './preprocess.ts';
import { imagesToNchw } from '../datasets/image-set.ts';
import type { DecodeBatch, DecodeReply, DecodeWorkerData, PixelBatch, PoolBatch } from './decode-messages.ts';

// A decode-pool worker: reads (folder sources), checks, decodes and preprocesses one batch of images at a time into
// one contiguous tensor in the card's input layout (or converts decoded pixels to float), and hands its buffer back
// without a copy.
const { card, limits, inFlight } = workerData as DecodeWorkerData;

// Batches run one after another, so a worker holds at most `inFlight` images at once whatever the caller queues.
let queue: Promise<void> = Promise.resolve();
parentPort!.on('message', (batch: PoolBatch) => {
  queue = queue.then(() => (batch.kind === 'nchw' ? pixelsToNchw(batch) : decodeBatch(batch, card, limits, inFlight))).then(
    (data) => parentPort!.postMessage({ id: batch.id, data } satisfies DecodeReply, [data.buffer as ArrayBuffer]),
    (error: Error) => parentPort!.postMessage({
      id: batch.id,
      error: { name: error.name, message: error.message, details: (error as { details?: Record<string, unknown> }).details },
    } satisfies DecodeReply),
  );
});

/** One image of a batch read (unless its bytes came with it), checked against its ingest hash and preprocessed. */
async function decodeItem(batch: DecodeBatch, i: number, card: LoadedModelCard, limits: ImageLimits): Promise<Float32Array | Uint8Array> {
  const item = batch.items[i];
  const name = `${batch.source}/${item.sourceId}`;
  const bytes = item.bytes ?? await openSourceItem(batch.source, item.sourceId);
  if (item.sha256 && sha256(bytes) !== item.sha256) {
    throw new ConflictError(`${name} changed since it was ingested (its SHA-256 differs); ingest the gallery again`, { details: { file: item.sourceId } });
  }
  return preprocessImage(bytes, card, name, limits);
}

function pixelsToNchw(batch: PixelBatch): Float32Array {
  const ids = { length: batch.count } as readonly string[];
  return imagesToNchw({ ids, labels: new Int32Array(0), pixels: batch.pixels, height: batch.height, width: batch.width, channels: batch.channels });
}

async function decodeBatch(batch: DecodeBatch, card: LoadedModelCard | undefined, limits: ImageLimits, inFlight: number): Promise<Float32Array | Uint8Array> {
  if (!card) throw new Error('this decode pool was opened without a model card; it only converts pixels');
  const size = card.input.height * card.input.width * card.channels;
  const out = card.input.dtype === 'uint8' ? new Uint8Array(batch.items.length * size) : new Float32Array(batch.items.length * size);
  let next = 0;
  // The failure of the earliest failing image, whichever lane saw its failure first: items are taken in order and
  // none is taken after a failure, so every earlier image has run to its end by then (the error is the same each run).
  const failed: { index: number; error?: unknown } = { index: Infinity };
  // A few images in flight: sharp decodes on libuv's threads, so one worker keeps more than one core busy.
  await Promise.all(Array.from({ length: Math.min(inFlight, batch.items.length) }, async () => {
    for (let i = next++; i < batch.items.length && failed.index === Infinity; i = next++) {
      try {
        out.set(await decodeItem(batch, i, card, limits), i * size);
      } catch (error) {
        if (i < failed.index) Object.assign(failed, { index: i, error });
      }
    }
  }));
  if (failed.index !== Infinity) throw failed.error;
  return out;
}
