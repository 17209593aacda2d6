import { InvalidInputError, NotFoundError } from '../../../errors.ts';
import type { Store } from '../../../store/store.ts';
import { announceGalleryChange } from '../gallery-changes.ts';
import { readGalleryRecord, type GalleryRecord } from '../gallery-record.ts';
import { ItemPart, parseItemId } from '../keys.ts';
import { appendChange, type ChangeEntry } from './change-log.ts';
import { MAX_DELETE_IDS, type DeleteItemsSummary } from './change-schemas.ts';
import { readGalleryContents } from './gallery-contents.ts';
import { galleryMembership } from './membership.ts';

/**
 * Deletes gallery items by source id (the path relative to the folder they came from) or item id (`g-…`), while the
 * gallery is served and backfilled: one create-only change log entry lists their indices, and from then on they are
 * in no index, no search result, no count and no evaluation, whatever the backfill commits later. Unknown ids refuse
 * the whole delete (a NotFoundError naming them), so a typo never deletes half a list.
 *
 * @example
 * await deleteGalleryItems(store, 'photos', ['shoes/0042.jpg']); // { deleted: 1, alreadyDeleted: 0, seq: 3, … }
 */
export async function deleteGalleryItems(store: Store, galleryId: string, ids: readonly string[]): Promise<DeleteItemsSummary> {
  const record = await readGalleryRecord(store, galleryId);
  if (ids.length === 0) throw new InvalidInputError('no ids to delete');
  if (ids.length > MAX_DELETE_IDS) throw new InvalidInputError(`at most ${MAX_DELETE_IDS} ids per delete, got ${ids.length}`);
  let resolved: Resolution | undefined;
  const { entry } = await appendChange(store, galleryId, async (log) => {
    resolved = await resolveIds(store, record, log, ids);
    if (resolved.unknown.length > 0) {
      const shown = resolved.unknown.slice(0, 10).map((id) => `"${id}"`).join(', ');
      throw new NotFoundError(
        `gallery "${galleryId}" has no item ${shown}${resolved.unknown.length > 10 ? ` and ${resolved.unknown.length - 10} more` : ''}; nothing was deleted`,
        { details: { unknown: resolved.unknown.slice(0, 100) } },
      );
    }
    return resolved.indices.length > 0 ? { kind: 'delete', indices: resolved.indices } : undefined;
  });
  if (entry) announceGalleryChange(store.uri, galleryId);
  const { indices, alreadyDeleted } = resolved!;
  return { gallery: galleryId, deleted: entry ? indices.length : 0, alreadyDeleted: alreadyDeleted.length, alreadyDeletedIds: alreadyDeleted.slice(0, 100), seq: entry?.seq ?? null };
}

interface Resolution {
  readonly indices: number[];
  readonly alreadyDeleted: string[];
  readonly unknown: string[];
}

async function resolveIds(store: Store, record: GalleryRecord, log: readonly ChangeEntry[], ids: readonly string[]): Promise<Resolution> {
  const membership = galleryMembership(record, log);
  const { items } = await readGalleryContents(store, record, membership);
  const live = new Map<string, number>();
  const ever = new Set<string>();
  items.sourceIds.forEach((sourceId, index) => {
    ever.add(sourceId);
    if (!membership.deleted[index]) live.set(sourceId, index);
  });
  const indices = new Set<number>();
  const alreadyDeleted: string[] = [], unknown: string[] = [];
  for (const id of ids) {
    const item = parseItemId(id);
    const index = live.get(id) ?? (item?.part === ItemPart.gallery && item.index < membership.indexCount ? item.index : undefined);
    if (index !== undefined && !membership.deleted[index]) indices.add(index);
    else if (ever.has(id) || index !== undefined) alreadyDeleted.push(id);
    else unknown.push(id);
  }
  return { indices: [...indices].sort((a, b) => a - b), alreadyDeleted, unknown };
}

/** An ids file: one id per line; blank lines and surrounding spaces are ignored. */
export function parseIdList(text: string): string[] {
  return text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0);
}
