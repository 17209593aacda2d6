import type { Store } from '../../store/store.ts';
import { listCommittedShards } from '../gallery/committed-shards.ts';
import { galleryKeys, ShardKind } from '../gallery/keys.ts';
import type { BackfillJob, BackfillWave } from './input.ts';

/**
 * The next wave: the lowest-numbered shards with no committed new-model manifest, at most `job.waveShards` and at
 * most the run's remaining budget. Because it asks the store, a re-run after a crash picks up exactly the shards
 * that are still missing, and never one that is committed.
 *
 * @example
 * const wave = await nextWave(store, job, 10); // { shards: [4, 5, 6, 7], hasWork: true, budget: 6 }
 */
export async function nextWave(store: Store, job: BackfillJob, budget: number | null): Promise<BackfillWave> {
  const done = new Set(await listCommittedShards(store, galleryKeys(job.gallery).shards(ShardKind.new)));
  const limit = Math.min(job.waveShards, budget ?? Infinity);
  const shards: number[] = [];
  for (let s = 0; s < job.shardsTotal && shards.length < limit; s++) if (!done.has(s)) shards.push(s);
  return { shards, hasWork: shards.length > 0, budget: budget === null ? null : budget - shards.length };
}
