import type { Store } from '../../../store/store.ts';
import { readShardItems } from '../image-shard.ts';
import { galleryKeys, ItemPart, shardCount, type ShardKind } from '../keys.ts';
import type { GalleryRecord } from '../gallery-record.ts';

/** Ids and labels of one part (gallery or queries) of a gallery, by position. */
export interface ItemList {
  readonly ids: readonly string[];
  readonly sourceIds: readonly string[];
  /** Class index per item (an index into the gallery's classes), or NO_LABEL (-1). */
  readonly labels: Int32Array;
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
    labels: Int32Array.from(shards.flatMap((s) => s.labels)),
  };
}

/** Finds an item by its source id (item ids are parsed, see `parseItemId`). */
export interface ItemLookup {
  get(sourceId: string): ItemRef | undefined;
}

/** V8 Maps hold at most 2²⁴ entries; each chunk stays well below that. */
const CHUNK_ENTRIES = 1 << 23;

/**
 * Source id → position, one entry per item holding a packed number (index·2 + part), in as many Maps as needed, so
 * a gallery of any size loads (one Map of two entries per item stopped at ~8.4M items). The first item with a given
 * source id wins, gallery items before queries; gallery items marked in `deleted` are left out (a re-added photo is
 * then found as its new item).
 */
export function indexItems(gallery: ItemList, queries: ItemList, deleted?: Uint8Array): ItemLookup {
  const maps: Map<string, number>[] = [new Map()];
  const find = (key: string) => {
    for (const m of maps) {
      const v = m.get(key);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const add = (list: ItemList, bit: number) => list.sourceIds.forEach((sourceId, index) => {
    if ((bit === 0 && deleted?.[index]) || find(sourceId) !== undefined) return;
    if (maps[maps.length - 1].size >= CHUNK_ENTRIES) maps.push(new Map());
    maps[maps.length - 1].set(sourceId, index * 2 + bit);
  });
  add(gallery, 0);
  add(queries, 1);
  return {
    get(sourceId) {
      const v = find(sourceId);
      return v === undefined ? undefined : { part: v % 2 === 0 ? ItemPart.gallery : ItemPart.query, index: Math.floor(v / 2) };
    },
  };
}
