import type { Store } from '../../../store/store.ts';
import { readShardItems } from '../image-shard.ts';
import { galleryKeys, ItemPart, shardCount, type ShardKind } from '../keys.ts';
import type { GalleryRecord } from '../gallery-record.ts';

/** Ids and labels of one part (gallery or queries) of a gallery, by position. */
export interface ItemList {
  readonly ids: readonly string[];
  readonly sourceIds: readonly string[];
  readonly labels: Uint8Array;
}

export interface ItemRef {
  readonly part: ItemPart;
  readonly index: number;
}

/** Reads every image shard's `items.json` of one part (no pixels), in item order. */
export async function readItemList(store: Store, record: GalleryRecord, kind: typeof ShardKind.images | typeof ShardKind.queries): Promise<ItemList> {
  const total = kind === 'images' ? record.items : record.queries;
  const keys = galleryKeys(record.id);
  const shards = await Promise.all(Array.from({ length: shardCount(total, record.shardSize) }, (_, s) => readShardItems(store, keys.shard(kind, s))));
  return {
    ids: shards.flatMap((s) => s.ids),
    sourceIds: shards.flatMap((s) => s.sourceIds),
    labels: Uint8Array.from(shards.flatMap((s) => s.labels)),
  };
}

/** Item ids and source ids → position, so a search can name its query either way. */
export function indexItems(gallery: ItemList, queries: ItemList): Map<string, ItemRef> {
  const lookup = new Map<string, ItemRef>();
  const add = (list: ItemList, part: ItemPart) => list.ids.forEach((id, index) => {
    lookup.set(id, { part, index });
    if (!lookup.has(list.sourceIds[index])) lookup.set(list.sourceIds[index], { part, index });
  });
  add(gallery, ItemPart.gallery);
  add(queries, ItemPart.query);
  return lookup;
}
