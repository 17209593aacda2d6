import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ConflictError, DataCorruptError, InvalidInputError, NotFoundError, UnavailableError } from '../../errors.ts';
import type { LoadedModelCard } from '../models/model-card.ts';
import type { DecodeItem, DecodeReply, DecodeWorkerData, PoolBatch } from './decode-messages.ts';
import type { ImageLimits } from './preprocess.ts';

export interface DecodePoolOptions extends ImageLimits {
  /** Worker threads. Default `defaultDecodeWorkers()`. */
  readonly size?: number;
  /** Images each worker decodes at once (sharp runs each on one of libuv's 4 threads). Default 4. */
  readonly inFlight?: number;
  /** The worker module (tests start a fixture that wraps the real one). Default `decodeWorkerUrl()`. */
  readonly workerUrl?: URL;
  /**
   * Close the pool after this many ms with nothing in flight. Idle workers never keep the process alive (they are
   * unref'd until the next batch). Default: stay open until `close()`.
   */
  readonly idleMs?: number;
}

/**
 * The decode worker's own bundle, beside a function bundle (infra/bundling.ts `DECODE_WORKER_BUNDLE` builds it there):
 * inside a bundle `import.meta.url` is the bundle's file, so this names the file next to it.
 */
export const DECODE_WORKER_BUNDLE_FILE = 'decode-worker.mjs';
const WORKER_URLS = [new URL('./decode-worker.ts', import.meta.url), new URL('./decode-worker.mjs', import.meta.url)];
const ERRORS: Record<string, new (message: string, options: { details?: Record<string, unknown> }) => Error> = {
  InvalidInputError, ConflictError, NotFoundError, DataCorruptError,
};

let liveWorkers = 0;

/** Decode worker threads alive in this process, over every pool (0 once every pool is closed). */
export function liveDecodeWorkers(): number {
  return liveWorkers;
}

/** One worker per core but the one onnxruntime runs on (at least one): 1 on this 2-core machine and on a 1-vCPU Lambda. */
export function defaultDecodeWorkers(): number {
  return Math.max(1, os.availableParallelism() - 1);
}

/**
 * The worker module to start: `decode-worker.ts` beside this file (the source tree), else `decode-worker.mjs` beside
 * the bundle this code was bundled into; undefined when neither is a file (a function bundle shipped without it).
 */
export function decodeWorkerUrl(candidates: readonly URL[] = WORKER_URLS): URL | undefined {
  return candidates.find((url) => url.protocol === 'file:' && existsSync(fileURLToPath(url)));
}

/** True when the worker module (`workerUrl`, default `decodeWorkerUrl()`) exists as a file. */
export function decodeWorkersAvailable(workerUrl?: URL): boolean {
  return (workerUrl ? decodeWorkerUrl([workerUrl]) : decodeWorkerUrl()) !== undefined;
}

function requireWorkerUrl(): URL {
  const url = decodeWorkerUrl();
  if (url) return url;
  const where = WORKER_URLS.map((u) => fileURLToPath(u)).join(' or ');
  throw new UnavailableError(`the decode worker module is missing (looked for ${where}); ship ${DECODE_WORKER_BUNDLE_FILE} beside the function bundle (infra/bundling.ts) or set REVERIE_DECODE_WORKERS=0 to decode on the inference thread`);
}

interface Pending {
  readonly batch: PoolBatch;
  resolve(data: Float32Array | Uint8Array): void;
  reject(error: Error): void;
}

interface PoolWorker {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
}

/**
 * Worker threads that read, decode and preprocess images into ready tensors for one model card, so the calling
 * thread is free to run onnxruntime meanwhile. Each batch comes back as one transferred buffer in the card's layout.
 * An image error rejects its batch with the error class and message the worker raised (naming the object); a worker
 * that crashes or exits rejects every batch in flight, naming them, and shuts the pool down.
 *
 * @example
 * const pool = DecodePool.open(card, { size: 1, maxPixels: 40_000_000 });
 * try { const tensor = await pool.decode('/photos', [{ sourceId: 'cats/a.jpg' }]); } finally { await pool.close(); }
 */
export class DecodePool {
  private readonly workers: PoolWorker[];
  private nextId = 0;
  private failure: Error | undefined;
  private closed = false;
  private readonly idleMs: number | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly closeListeners: (() => void)[] = [];

  private constructor(workers: PoolWorker[], idleMs: number | undefined) {
    this.workers = workers;
    this.idleMs = idleMs;
  }

  /** Opens `size` workers for `card`; without a card the pool only converts decoded pixels (`toNchw`). */
  static open(card: LoadedModelCard | undefined, options: DecodePoolOptions = {}): DecodePool {
    const size = options.size ?? defaultDecodeWorkers();
    if (!(Number.isInteger(size) && size > 0)) throw new InvalidInputError(`decode pool size must be a positive integer, got ${size}`);
    const workerData: DecodeWorkerData = {
      card, limits: { maxPixels: options.maxPixels, maxBytes: options.maxBytes }, inFlight: options.inFlight ?? 4,
    };
    const workerUrl = options.workerUrl ?? requireWorkerUrl();
    const workers = Array.from({ length: size }, () => {
      const worker = new Worker(workerUrl, { workerData });
      liveWorkers++;
      worker.once('exit', () => liveWorkers--);
      return { worker, pending: new Map<number, Pending>() };
    });
    const pool = new DecodePool(workers, options.idleMs);
    for (const w of workers) pool.watch(w);
    pool.becameIdle();
    return pool;
  }

  /** Threads in the pool. */
  get size(): number {
    return this.workers.length;
  }

  /** True once closed (by `close()`, a crash or the idle timeout); a closed pool only rejects. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Calls `listener` once when the pool closes, whatever closed it. */
  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  /**
   * Decodes `items` of `source` (a folder path or an `s3://` URI) into one batch tensor, in item order. Items without
   * bytes are read by the worker from the folder; items' bytes that own their buffer are transferred (detached here).
   */
  decode(source: string, items: readonly DecodeItem[]): Promise<Float32Array | Uint8Array> {
    // Bytes that own their whole buffer move to the worker (the caller's view is then detached); views into a shared
    // buffer (Node's small-Buffer pool) are copied, so nothing else that lives in that buffer is detached with them.
    const transfer = items.flatMap((item) => (item.bytes && ownsBuffer(item.bytes) ? [item.bytes.buffer] : []));
    return this.send({ kind: 'decode', id: this.nextId++, source, items }, transfer);
  }

  /**
   * Converts `count` decoded uint8 NHWC images to float32 NCHW in [0, 1], as `imagesToNchw` does. `pixels` is moved
   * to the worker when it owns its buffer (pass a copy, e.g. `slice()`, of a larger array).
   */
  toNchw(pixels: Uint8Array, count: number, shape: { height: number; width: number; channels: number }): Promise<Float32Array> {
    const transfer = ownsBuffer(pixels) ? [pixels.buffer] : [];
    const { height, width, channels } = shape;
    return this.send({ kind: 'nchw', id: this.nextId++, pixels, count, height, width, channels }, transfer) as Promise<Float32Array>;
  }

  private send(batch: PoolBatch, transfer: ArrayBuffer[]): Promise<Float32Array | Uint8Array> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('the decode pool is closed'));
    const target = this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    if (this.idle()) this.becameBusy();
    return new Promise((resolve, reject) => {
      target.pending.set(batch.id, { batch, resolve, reject });
      target.worker.postMessage(batch, transfer);
    });
  }

  /** Stops every worker; batches still in flight are rejected. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.idleTimer);
    for (const listener of this.closeListeners.splice(0)) listener();
    this.failAll(this.failure ?? new Error('the decode pool was closed with batches in flight'));
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private watch(w: PoolWorker): void {
    w.worker.on('message', (reply: DecodeReply) => {
      const pending = w.pending.get(reply.id);
      if (!pending) return;
      w.pending.delete(reply.id);
      if (this.idle()) this.becameIdle();
      if (reply.data) pending.resolve(reply.data);
      else pending.reject(new (ERRORS[reply.error.name] ?? Error)(reply.error.message, { details: reply.error.details }));
    });
    const crash = (reason: string) => {
      if (this.closed) return;
      const named = [...w.pending.values()].map((p) => describeBatch(p.batch)).join('; ');
      this.failure = new Error(`a decode worker ${reason}${named ? ` while decoding ${named}` : ''}; the decode pool was shut down`);
      void this.close();
    };
    w.worker.on('error', (error) => crash(`crashed (${error.message})`));
    w.worker.on('exit', (code) => crash(`exited with code ${code}`));
  }

  private idle(): boolean {
    return this.workers.every((w) => w.pending.size === 0);
  }

  private becameBusy(): void {
    clearTimeout(this.idleTimer);
    for (const w of this.workers) w.worker.ref();
  }

  private becameIdle(): void {
    if (this.idleMs === undefined) return;
    for (const w of this.workers) w.worker.unref();
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.close(), this.idleMs);
    this.idleTimer.unref();
  }

  private failAll(error: Error): void {
    for (const w of this.workers) {
      for (const p of w.pending.values()) p.reject(error);
      w.pending.clear();
    }
  }
}

function ownsBuffer(bytes: Uint8Array): bytes is Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
}

function describeBatch(batch: PoolBatch): string {
  if (batch.kind === 'nchw') return `pixels of ${batch.count} images`;
  const ids = batch.items.map((item) => item.sourceId);
  const shown = ids.length <= 3 ? ids.join(', ') : `${ids[0]} … ${ids.at(-1)} (${ids.length} images)`;
  return `${batch.source}/{${shown}}`;
}
