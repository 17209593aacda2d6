import { DataCorruptError, InvalidInputError } from '../../../errors.ts';
import type { Store } from '../../../store/store.ts';
import { NO_LABEL } from '../../datasets/image-set.ts';
import type { GalleryRecord } from '../gallery-record.ts';
import { galleryItemId, ShardKind } from '../keys.ts';
import { readItemList, type ItemList } from '../search/gallery-items.ts';
import { readAddedItems } from './added-batch.ts';
import type { AddEntry } from './change-log.ts';
import type { GalleryMembership } from './membership.ts';

/** Every item a gallery ever held, by index (deleted ones too: see the membership), and the class names labels index. */
export interface GalleryContents {
  readonly items: ItemList;
  readonly classes: readonly string[];
}

/**
 * The ingested items' ids and labels followed by every add's, in index order. Added items carry class names; a name
 * the gallery has not seen becomes a new class after the record's (in log order), so labels stay comparable.
 *
 * @example
 * const { items, classes } = await readGalleryContents(store, record, membership);
 * classes[items.labels[1000]]; // the class of the first added item
 */
export async function readGalleryContents(store: Store, record: GalleryRecord, membership: GalleryMembership): Promise<GalleryContents> {
  const base = await readItemList(store, record, ShardKind.images);
  return appendAddedContents(store, { items: base, classes: record.classes }, membership.adds);
}

/**
 * `contents` with the items of the adds in `next` it does not hold yet appended, in log order: what a refresh reads
 * after new adds, instead of every shard's item list again.
 */
export async function appendAddedContents(store: Store, contents: GalleryContents, next: readonly AddEntry[]): Promise<GalleryContents> {
  // A gallery loaded from a snapshot already holds the adds the snapshot predates.
  const adds = next.filter((a) => a.firstIndex >= contents.items.ids.length);
  if (adds.length === 0) return contents;
  const added = await Promise.all(adds.map((a) => readAddedItems(store, a.batch)));
  const classes = extendClasses(contents.classes, added);
  const labelOf = new Map(classes.map((name, i) => [name, i]));
  const { items } = contents;
  const ids = [...items.ids], sourceIds = [...items.sourceIds];
  const total = adds[adds.length - 1].firstIndex + adds[adds.length - 1].count;
  const labels = new Int32Array(total);
  labels.set(items.labels);
  adds.forEach((add, a) => {
    if (add.firstIndex !== ids.length) throw new DataCorruptError(`change ${add.seq} adds items from ${add.firstIndex}, the gallery has ${ids.length}`);
    added[a].sourceIds.forEach((sourceId, row) => {
      ids.push(galleryItemId(add.firstIndex + row));
      sourceIds.push(sourceId);
      const name = added[a].classNames[row];
      labels[add.firstIndex + row] = name === null ? NO_LABEL : labelOf.get(name)!;
    });
  });
  return { items: { ids, sourceIds, labels }, classes };
}

/** The record's classes, then each unseen class name of the adds in order (any number of classes). */
export function extendClasses(base: readonly string[], added: readonly { readonly classNames: readonly (string | null)[] }[]): string[] {
  const classes = [...base];
  const known = new Set(classes);
  for (const batch of added) {
    for (const name of batch.classNames) {
      if (name === null || known.has(name)) continue;
      known.add(name);
      classes.push(name);
    }
  }
  return classes;
}
