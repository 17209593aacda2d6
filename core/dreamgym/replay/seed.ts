import { readOfflineDataset } from '../offline/dataset-store.ts';
import type { MalformedRecord } from '../offline/parse-records.ts';
import { trajectoryTransitions } from './from-trajectory.ts';
import type { ReplayBuffer } from './replay-buffer.ts';

export interface SeedOptions {
  /** Trajectories per shard; 500 by default. */
  readonly trajectoriesPerShard?: number;
  /** Called for each malformed offline record (which is skipped), as soon as it is found. */
  readonly onMalformed?: (record: MalformedRecord) => void;
  /** Called after each shard with the shards done and the total. */
  readonly onShard?: (done: number, total: number) => void;
}

export interface SeedResult {
  readonly datasetId: string;
  readonly shards: number;
  /** Shards that were already committed by an earlier seeding (re-seeding is a no-op). */
  readonly alreadyCommitted: number;
  readonly trajectories: number;
  readonly appended: number;
  /** Offline records that could not be read, with their object key and line; they were skipped. */
  readonly malformed: readonly MalformedRecord[];
}

/**
 * Seeds a buffer with an offline dataset of the same store: shards `offline-<datasetId>-00000…` of real
 * transitions. Shard ids are deterministic, so seeding twice adds nothing; malformed records are reported (with
 * their key) and skipped.
 *
 * @example
 * const result = await seedReplayBuffer(buffer, 'shop-e1000-r1000-s1', { onMalformed: (m) => log.warn(m) });
 * result.appended; // transitions added
 */
export async function seedReplayBuffer(buffer: ReplayBuffer, datasetId: string, options: SeedOptions = {}): Promise<SeedResult> {
  const { records, malformed } = await readOfflineDataset(buffer.store, datasetId);
  for (const bad of malformed) options.onMalformed?.(bad);
  const perShard = Math.max(1, Math.floor(options.trajectoriesPerShard ?? 500));
  const total = Math.ceil(records.length / perShard);
  let appended = 0, alreadyCommitted = 0;
  for (let shard = 0; shard < total; shard++) {
    const chunk = records.slice(shard * perShard, (shard + 1) * perShard);
    const shardId = `offline-${datasetId}-${String(shard).padStart(5, '0')}`;
    const result = await buffer.append(shardId, chunk.flatMap((record) => trajectoryTransitions(record, 'offline')));
    appended += result.appended;
    if (result.alreadyCommitted) alreadyCommitted++;
    options.onShard?.(shard + 1, total);
  }
  return { datasetId, shards: total, alreadyCommitted, trajectories: records.length, appended, malformed };
}
