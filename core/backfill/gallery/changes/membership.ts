import { DataCorruptError } from '../../../errors.ts';
import type { GalleryRecord } from '../gallery-record.ts';
import type { AddEntry, ChangeEntry } from './change-log.ts';

/**
 * Which items a gallery holds now, replayed from its record and change log: item indices `[0, record.items)` are the
 * ingested items, each add takes the next indices, and a delete marks indices dead for good (an index is never reused,
 * so a re-added photo is a new item).
 */
export interface GalleryMembership {
  readonly log: readonly ChangeEntry[];
  /** Item indices ever assigned. */
  readonly indexCount: number;
  /** 1 at a deleted index. */
  readonly deleted: Uint8Array;
  readonly deletedCount: number;
  readonly adds: readonly AddEntry[];
  /** Items ever added. */
  readonly added: number;
  /** Items in the gallery now. */
  readonly live: number;
}

/**
 * Replays `log` over `record`.
 *
 * @example
 * const m = galleryMembership(record, await readChangeLog(store, record.id));
 * m.live; // record.items + added − deleted
 */
export function galleryMembership(record: Pick<GalleryRecord, 'id' | 'items'>, log: readonly ChangeEntry[]): GalleryMembership {
  const adds = log.filter((e): e is AddEntry => e.kind === 'add');
  let indexCount = record.items;
  for (const add of adds) {
    if (add.firstIndex !== indexCount) throw new DataCorruptError(`gallery "${record.id}": change ${add.seq} adds items from ${add.firstIndex}, expected ${indexCount}`);
    indexCount += add.count;
  }
  const deleted = new Uint8Array(indexCount);
  let deletedCount = 0;
  for (const entry of log) {
    if (entry.kind !== 'delete') continue;
    for (const index of entry.indices) {
      if (index >= indexCount) throw new DataCorruptError(`gallery "${record.id}": change ${entry.seq} deletes item ${index}, beyond its ${indexCount} items`);
      if (!deleted[index]) deletedCount++;
      deleted[index] = 1;
    }
  }
  const added = indexCount - record.items;
  return { log, indexCount, deleted, deletedCount, adds, added, live: indexCount - deletedCount };
}

/** Items of `[start, end)` not deleted. */
export function liveInRange(membership: GalleryMembership, start: number, end: number): number {
  let live = 0;
  for (let i = start; i < end; i++) if (!membership.deleted[i]) live++;
  return live;
}

/** The not-deleted indices of `[start, end)`, as vector ids, with their rows (offsets from `start`). */
export function liveRows(membership: GalleryMembership, start: number, end: number): { ids: Int32Array; rows: Uint32Array } {
  const rows: number[] = [];
  for (let i = start; i < end; i++) if (!membership.deleted[i]) rows.push(i - start);
  return { ids: Int32Array.from(rows, (r) => start + r), rows: Uint32Array.from(rows) };
}

/**
 * Items in the gallery now that have new-model features: the live items of the backfilled shards, and every live
 * added item (adds are embedded with the new model when they arrive).
 */
export function liveBackfilled(record: Pick<GalleryRecord, 'items' | 'shardSize'>, membership: GalleryMembership, shards: readonly number[]): number {
  let count = 0;
  for (const s of shards) count += liveInRange(membership, s * record.shardSize, Math.min(record.items, (s + 1) * record.shardSize));
  return count + liveInRange(membership, record.items, membership.indexCount);
}
