import { z } from 'zod';
import { InvalidInputError } from '../../errors.ts';
import { joinKey } from '../../store/keys.ts';

/** A gallery id: lowercase letters, digits and dashes, so it is safe in store keys, URLs and state payloads. */
export const GalleryIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a gallery id: lowercase letters, digits and dashes, at most 63 characters');

export const GALLERIES_PREFIX = 'backfill/galleries';

/** The kinds of sharded batch a gallery holds. */
export const ShardKind = { images: 'images', queries: 'queries', old: 'old', new: 'new' } as const;
export type ShardKind = (typeof ShardKind)[keyof typeof ShardKind];

/**
 * Where everything of one gallery lives in the store (see the layout in `ingest.ts`).
 *
 * @example
 * galleryKeys('shoes').shard('new', 3); // 'backfill/galleries/shoes/new/shard-00003'
 */
export function galleryKeys(galleryId: string) {
  const root = joinKey(GALLERIES_PREFIX, GalleryIdSchema.parse(galleryId));
  return {
    root,
    record: joinKey(root, 'gallery.json'),
    state: joinKey(root, 'state.json'),
    models: joinKey(root, 'models'),
    /** Prefix of one kind's shard batches, ending in `/` for listing. */
    shards: (kind: ShardKind) => `${joinKey(root, kind)}/`,
    shard: (kind: ShardKind, shard: number) => joinKey(root, kind, shardName(shard)),
    psiFits: `${joinKey(root, 'psi')}/`,
    psiFit: (name: string) => joinKey(root, 'psi', name),
    /** The change log (adds and deletes while the gallery is served), one create-only entry per change. */
    changeLog: `${joinKey(root, 'changes', 'log')}/`,
    changeEntry: (seq: number) => joinKey(root, 'changes', 'log', `${String(seq).padStart(9, '0')}.json`),
    /** The images and embeddings of one add, named by their content, so a re-run add rewrites the same batch. */
    addedBatch: (name: string) => joinKey(root, 'changes', 'added', name),
  } as const;
}

export function shardName(shard: number): string {
  return `shard-${String(shard).padStart(5, '0')}`;
}

/** The shard number of a `shard-NNNNN` batch prefix, or undefined for anything else. */
export function shardNumber(batchPrefix: string): number | undefined {
  const match = /(?:^|\/)shard-(\d{5,})$/.exec(batchPrefix);
  return match ? Number(match[1]) : undefined;
}

/** Item ids are positional and short, so they fit URLs: `g-000042` is gallery item 42, `q-00007` query 7. */
export const ItemPart = { gallery: 'gallery', query: 'query' } as const;
export type ItemPart = (typeof ItemPart)[keyof typeof ItemPart];

export function galleryItemId(index: number): string {
  return `g-${String(index).padStart(6, '0')}`;
}

export function queryItemId(index: number): string {
  return `q-${String(index).padStart(5, '0')}`;
}

/**
 * Parses `g-<n>` / `q-<n>` written exactly as `galleryItemId` / `queryItemId` write them, so one item has one id
 * (`g-1` and `g-0000001` are not `g-000001`); undefined when `id` is not an item id (it may still be a source id).
 */
export function parseItemId(id: string): { part: ItemPart; index: number } | undefined {
  const match = /^([gq])-(\d{1,9})$/.exec(id);
  if (!match) return undefined;
  const part = match[1] === 'g' ? ItemPart.gallery : ItemPart.query;
  const index = Number(match[2]);
  const canonical = part === ItemPart.gallery ? galleryItemId(index) : queryItemId(index);
  return canonical === id ? { part, index } : undefined;
}

/** Items `[start, end)` of shard `shard` when shards hold `shardSize` items each. */
export function shardRange(shard: number, shardSize: number, total: number): { start: number; end: number } {
  const start = shard * shardSize;
  if (!Number.isInteger(shard) || shard < 0 || start >= total) {
    throw new InvalidInputError(`shard ${shard} is outside a gallery of ${Math.ceil(total / shardSize)} shards`);
  }
  return { start, end: Math.min(total, start + shardSize) };
}

export function shardCount(total: number, shardSize: number): number {
  return Math.ceil(total / shardSize);
}
