import type { LoadedModelCard } from '../models/model-card.ts';
import { DecodePool, type DecodePoolOptions } from './decode-pool.ts';

/** How long a shared pool waits for the next shard before its threads stop. */
const SHARED_IDLE_MS = 30_000;
const pools = new Map<string, DecodePool>();

/**
 * The process's decode pool for one card and set of limits, opened on first use and kept while shards keep coming
 * (starting a worker costs about a second: sharp and libvips load in each thread), so shard after shard of a backfill,
 * and the shards a local engine runs at once, share warm workers. It closes itself after 30 s idle, and after a worker
 * crash (the next call opens a new one); idle workers never keep the process alive.
 *
 * @example
 * const tensor = await sharedDecodePool(card, { size: 1 }).decode('/photos', [{ sourceId: 'cats/a.jpg' }]);
 */
export function sharedDecodePool(card: LoadedModelCard | undefined, options: DecodePoolOptions = {}): DecodePool {
  const key = JSON.stringify([card ?? null, options.size, options.inFlight, options.maxPixels, options.maxBytes, options.workerUrl?.href]);
  let pool = pools.get(key);
  if (!pool || pool.isClosed) {
    const opened = DecodePool.open(card, { idleMs: SHARED_IDLE_MS, ...options });
    opened.onClose(() => {
      if (pools.get(key) === opened) pools.delete(key);
    });
    pools.set(key, opened);
    pool = opened;
  }
  return pool;
}

/** Closes every shared pool now (a server shutting down, a test cleaning up). */
export async function closeSharedDecodePools(): Promise<void> {
  await Promise.all([...pools.values()].map((pool) => pool.close()));
}
