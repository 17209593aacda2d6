import { MANIFEST_NAME } from '../../store/batch.ts';
import type { Store } from '../../store/store.ts';
import { shardNumber } from './keys.ts';

/**
 * Shard numbers with a committed manifest under `prefix` (e.g. a gallery's `new/`), ascending. Manifests are the
 * truth about what is done: written last and create-only, so a listed shard is complete and never half-written.
 *
 * @example
 * await listCommittedShards(store, galleryKeys('fashion-mnist').shards('new')); // [0, 1, 2, 5]
 */
export async function listCommittedShards(store: Store, prefix: string): Promise<number[]> {
  const shards: number[] = [];
  for await (const info of store.list(prefix)) {
    if (!info.key.endsWith(`/${MANIFEST_NAME}`)) continue;
    const shard = shardNumber(info.key.slice(0, -(MANIFEST_NAME.length + 1)));
    if (shard !== undefined) shards.push(shard);
  }
  return shards.sort((a, b) => a - b);
}

/** Items in the given shards of a gallery of `total` items in shards of `shardSize`. */
export function itemsInShards(shards: readonly number[], shardSize: number, total: number): number {
  let items = 0;
  for (const s of shards) items += Math.max(0, Math.min(shardSize, total - s * shardSize));
  return items;
}
