import { ConflictError, InvalidInputError } from '../../../errors.ts';
import type { Store } from '../../../store/store.ts';
import { subsetImages } from '../../datasets/image-set.ts';
import { announceGalleryChange } from '../gallery-changes.ts';
import { loadGalleryEmbedder } from '../gallery-models.ts';
import { readGalleryRecord, type GalleryRecord } from '../gallery-record.ts';
import { readGalleryState } from '../gallery-state.ts';
import { galleryItemId } from '../keys.ts';
import { commitAddedBatch, readAddedItems } from './added-batch.ts';
import { appendChange, readChangeLog, type AddEntry, type ChangeEntry } from './change-log.ts';
import { extendClasses, readGalleryContents } from './gallery-contents.ts';
import type { AddItemsSummary } from './change-schemas.ts';
import type { ItemsToAdd } from './items-to-add.ts';
import { galleryMembership } from './membership.ts';

export type { AddItemsSummary };

export interface AddItemsOptions {
  readonly batchSize?: number;
  readonly intraOpNumThreads?: number;
  readonly onProgress?: (done: number, total: number, stage: string) => void;
}

/**
 * Adds images to a gallery while it is served and backfilled: each chunk (a shard's size) is embedded with the new
 * model (and the old one unless the backfill is complete), committed as a batch named by its content, then made part
 * of the gallery by one create-only change log entry that assigns its item indices. A killed add leaves committed
 * chunks in and the rest out; run again, it skips the source ids already present and re-uses a batch whose entry
 * was never written, so nothing is embedded twice into the gallery or duplicated.
 *
 * @example
 * const summary = await addGalleryItems(store, 'photos', await readItemsToAdd('./new', record.image));
 * summary.added; // 40
 */
export async function addGalleryItems(store: Store, galleryId: string, items: ItemsToAdd, options: AddItemsOptions = {}): Promise<AddItemsSummary> {
  const record = await readGalleryRecord(store, galleryId);
  const { images, classNames } = items;
  const { height, width, channels } = record.image;
  if (images.height !== height || images.width !== width || images.channels !== channels) {
    throw new InvalidInputError(`images to add are ${images.height}x${images.width}x${images.channels}, gallery "${galleryId}" holds ${height}x${width}x${channels}`);
  }
  if (images.ids.length === 0) throw new InvalidInputError('no images to add');
  const seen = new Set<string>();
  for (const id of images.ids) {
    if (seen.has(id)) throw new InvalidInputError(`source id "${id}" is given twice`);
    seen.add(id);
  }
  const log = await readChangeLog(store, galleryId);
  const membership = galleryMembership(record, log);
  const present = await liveSourceIds(store, record, log);
  extendClasses(record.classes, [...(await readAddedClasses(store, membership.adds)), { classNames }]);
  const todo = images.ids.flatMap((id, i) => (present.has(id) ? [] : [i]));
  const alreadyPresentIds = images.ids.filter((id) => present.has(id));
  const spaces: ('old' | 'new')[] = (await readGalleryState(store, galleryId))?.status === 'complete' ? ['new'] : ['old', 'new'];
  const session = { batchSize: options.batchSize ?? 256, intraOpNumThreads: options.intraOpNumThreads ?? 1 };
  const changes: AddItemsSummary['changes'][number][] = [];
  for (let start = 0; start < todo.length; start += record.shardSize) {
    const rows = todo.slice(start, start + record.shardSize);
    const part = subsetImages(images, rows);
    const features = {
      new: await (await loadGalleryEmbedder(store, record, 'new', session)).embedImages(part),
      ...(spaces.includes('old') ? { old: await (await loadGalleryEmbedder(store, record, 'old', session)).embedImages(part) } : {}),
    };
    const batch = await commitAddedBatch(store, record, { images: part, classNames: rows.map((r) => classNames[r]), features });
    const { entry } = await appendChange(store, galleryId, (now) => draftAdd(store, record, now, log.length, { batch, sourceIds: part.ids, classNames: rows.map((r) => classNames[r]) }, spaces));
    const add = entry as AddEntry; // draftAdd always gives an entry
    changes.push({ seq: add.seq, firstItemId: galleryItemId(add.firstIndex), lastItemId: galleryItemId(add.firstIndex + add.count - 1), count: add.count });
    announceGalleryChange(store.uri, galleryId);
    options.onProgress?.(Math.min(todo.length, start + rows.length), todo.length, 'adding items');
  }
  return { gallery: galleryId, added: todo.length, alreadyPresent: alreadyPresentIds.length, alreadyPresentIds: alreadyPresentIds.slice(0, 100), spaces, changes };
}

/** The entry that adds `batch`, decided against the log as it is now (`checked` entries were checked before). */
async function draftAdd(
  store: Store, record: GalleryRecord, log: readonly ChangeEntry[], checked: number,
  chunk: { batch: string; sourceIds: readonly string[]; classNames: (string | null)[] }, spaces: AddEntry['spaces'],
): Promise<AddEntry | Omit<AddEntry, 'version' | 'seq' | 'createdAt'>> {
  const { batch, sourceIds } = chunk;
  const existing = log.find((e): e is AddEntry => e.kind === 'add' && e.batch === batch);
  if (existing) return existing;
  const membership = galleryMembership(record, log);
  const later = log.slice(checked).filter((e): e is AddEntry => e.kind === 'add');
  const racing = new Set((await Promise.all(later.map((a) => readAddedItems(store, a.batch)))).flatMap((a) => a.sourceIds));
  const clash = sourceIds.find((id) => racing.has(id));
  if (clash) throw new ConflictError(`"${clash}" was added to gallery "${record.id}" by another change meanwhile; run the add again to add the rest`);
  extendClasses(record.classes, [...(await readAddedClasses(store, membership.adds)), chunk]);
  return { kind: 'add', batch, firstIndex: membership.indexCount, count: sourceIds.length, spaces };
}

async function readAddedClasses(store: Store, adds: readonly AddEntry[]): Promise<{ readonly classNames: readonly (string | null)[] }[]> {
  return Promise.all(adds.map((a) => readAddedItems(store, a.batch)));
}

/** Source ids of the gallery items that are there now (ingested or added, not deleted). */
export async function liveSourceIds(store: Store, record: GalleryRecord, log: readonly ChangeEntry[]): Promise<Set<string>> {
  const membership = galleryMembership(record, log);
  const { items } = await readGalleryContents(store, record, membership);
  const live = new Set<string>();
  items.sourceIds.forEach((id, i) => {
    if (!membership.deleted[i]) live.add(id);
  });
  return live;
}
