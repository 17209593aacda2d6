import { InvalidInputError } from '../../../errors.ts';
import type { Store } from '../../../store/store.ts';
import { NO_LABEL } from '../../datasets/image-set.ts';
import type { GalleryRecord } from '../gallery-record.ts';
import { galleryItemId, ShardKind } from '../keys.ts';
import { readItemList, type ItemList } from '../search/gallery-items.ts';
import { readAddedItems } from './added-batch.ts';
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
  const [base, added] = await Promise.all([
    readItemList(store, record, ShardKind.images),
    Promise.all(membership.adds.map((a) => readAddedItems(store, a.batch))),
  ]);
  if (added.length === 0) return { items: base, classes: record.classes };
  const classes = extendClasses(record.classes, added);
  const labelOf = new Map(classes.map((name, i) => [name, i]));
  const ids = [...base.ids], sourceIds = [...base.sourceIds];
  const labels = new Uint8Array(membership.indexCount);
  labels.set(base.labels);
  membership.adds.forEach((add, a) => {
    added[a].sourceIds.forEach((sourceId, row) => {
      ids.push(galleryItemId(add.firstIndex + row));
      sourceIds.push(sourceId);
      const name = added[a].classNames[row];
      labels[add.firstIndex + row] = name === null ? NO_LABEL : labelOf.get(name)!;
    });
  });
  return { items: { ids, sourceIds, labels }, classes };
}

/** The record's classes, then each unseen class name of the adds in order; at most 255 (255 is "no label"). */
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
  if (classes.length > NO_LABEL) throw new InvalidInputError(`a gallery holds at most ${NO_LABEL} classes; these additions would make ${classes.length}`);
  return classes;
}
