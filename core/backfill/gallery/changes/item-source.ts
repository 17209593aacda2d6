import { NotFoundError } from '../../../errors.ts';
import type { Store } from '../../../store/store.ts';
import type { GalleryRecord } from '../gallery-record.ts';
import { readShardItems } from '../image-shard.ts';
import { galleryItemId, galleryKeys, ItemPart, queryItemId, ShardKind } from '../keys.ts';
import { readAddedItems } from './added-batch.ts';
import type { GalleryMembership } from './membership.ts';

/** Where a streamed gallery's item is read from: the source (the ingest's or an add's), the object's id and hash. */
export interface ItemSource {
  readonly uri: string;
  readonly sourceId: string;
  readonly sha256?: string;
}

/**
 * The source object behind an item of a streamed gallery, ingested or added; a deleted or unknown item is a
 * NotFoundError, so nothing serves a deleted item's image.
 *
 * @example
 * const { uri, sourceId } = await streamItemSource(store, record, membership, { part: 'gallery', index: 1000 });
 */
export async function streamItemSource(
  store: Store, record: GalleryRecord, membership: GalleryMembership, item: { part: ItemPart; index: number },
): Promise<ItemSource> {
  const gallery = item.part === ItemPart.gallery;
  const id = (gallery ? galleryItemId : queryItemId)(item.index);
  const total = gallery ? membership.indexCount : record.queries;
  if (record.source.kind !== 'stream' || !(Number.isInteger(item.index) && item.index >= 0 && item.index < total)) {
    throw new NotFoundError(`gallery "${record.id}" has no item ${id}`);
  }
  if (gallery && membership.deleted[item.index]) throw new NotFoundError(`item ${id} was deleted from gallery "${record.id}"`);
  if (gallery && item.index >= record.items) {
    const add = membership.adds.find((a) => item.index < a.firstIndex + a.count)!;
    const items = await readAddedItems(store, add.batch);
    const row = item.index - add.firstIndex;
    return { uri: items.source ?? record.source.uri, sourceId: items.sourceIds[row], sha256: items.refs?.[row]?.sha256 };
  }
  const shard = Math.floor(item.index / record.shardSize);
  const items = await readShardItems(store, galleryKeys(record.id).shard(gallery ? ShardKind.images : ShardKind.queries, shard));
  const row = item.index - shard * record.shardSize;
  return { uri: record.source.uri, sourceId: items.sourceIds[row], sha256: items.refs?.[row]?.sha256 };
}
