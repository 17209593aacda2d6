import type { LoadedModelCard } from '../models/model-card.ts';
import type { ImageLimits } from './preprocess.ts';

/** What a decode-pool worker is started with. */
export interface DecodeWorkerData {
  /** The card decode batches follow; absent for a pool that only converts decoded pixels. */
  readonly card?: LoadedModelCard;
  readonly limits: ImageLimits;
  /** Images a worker decodes at once (sharp runs them on libuv's threads). */
  readonly inFlight: number;
}

/** One image of a batch: its bytes (read by the caller, e.g. from S3), or only its id for the worker to read (a folder). */
export interface DecodeItem {
  readonly sourceId: string;
  readonly bytes?: Uint8Array;
  /** The SHA-256 its bytes must still have (recorded at ingest). */
  readonly sha256?: string;
}

/** A batch for a worker: images of one source, decoded into one tensor in item order. */
export interface DecodeBatch {
  readonly kind: 'decode';
  readonly id: number;
  readonly source: string;
  readonly items: readonly DecodeItem[];
}

/** Decoded uint8 NHWC pixels of `count` images to turn into float32 NCHW in [0, 1] (`imagesToNchw`). */
export interface PixelBatch {
  readonly kind: 'nchw';
  readonly id: number;
  readonly pixels: Uint8Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

export type PoolBatch = DecodeBatch | PixelBatch;

/** A worker's answer: the batch tensor, or the first error, as plain data (errors do not cross threads as classes). */
export type DecodeReply =
  | { readonly id: number; readonly data: Float32Array | Uint8Array; readonly error?: undefined }
  | { readonly id: number; readonly data?: undefined; readonly error: { readonly name: string; readonly message: string; readonly details?: Record<string, unknown> } };
