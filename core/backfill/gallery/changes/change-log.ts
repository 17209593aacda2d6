import { z } from 'zod';
import { ConflictError, DataCorruptError } from '../../../errors.ts';
import { getJson } from '../../../store/json.ts';
import type { Store } from '../../../store/store.ts';
import { galleryKeys } from '../keys.ts';

/** Items added to a gallery: rows `[0, count)` of the committed batch `batch` become items `firstIndex + row`. */
export const AddEntrySchema = z.object({
  version: z.literal(1),
  seq: z.number().int().nonnegative(),
  kind: z.literal('add'),
  /** Store prefix of the committed batch (`changes/added/<hash>`) holding the images and embeddings. */
  batch: z.string(),
  firstIndex: z.number().int().nonnegative(),
  count: z.number().int().positive(),
  /** The spaces the items were embedded in: `old` too while the old space still served searches. */
  spaces: z.array(z.enum(['old', 'new'])).min(1),
  createdAt: z.string(),
});

/** Items deleted from a gallery, by item index: they leave every index and every count. */
export const DeleteEntrySchema = z.object({
  version: z.literal(1),
  seq: z.number().int().nonnegative(),
  kind: z.literal('delete'),
  indices: z.array(z.number().int().nonnegative()).min(1),
  createdAt: z.string(),
});

export const ChangeEntrySchema = z.discriminatedUnion('kind', [AddEntrySchema, DeleteEntrySchema]);
export type AddEntry = z.infer<typeof AddEntrySchema>;
export type DeleteEntry = z.infer<typeof DeleteEntrySchema>;
export type ChangeEntry = z.infer<typeof ChangeEntrySchema>;
export type ChangeEntryDraft = Omit<AddEntry, 'version' | 'seq' | 'createdAt'> | Omit<DeleteEntry, 'version' | 'seq' | 'createdAt'>;

type Draft = ChangeEntryDraft | ChangeEntry | undefined;

// Entries are create-only and never change, so each is read once per process.
const entries = new Map<string, ChangeEntry>();

/**
 * A gallery's change log in order: entry `seq` is `changes/log/<seq>.json`, written create-only, so the log is a
 * sequence every reader sees the same way and a change is committed exactly when its entry exists.
 *
 * @example
 * const log = await readChangeLog(store, 'photos'); // [{ seq: 0, kind: 'add', firstIndex: 1000, count: 40, … }]
 */
export async function readChangeLog(store: Store, galleryId: string): Promise<ChangeEntry[]> {
  const keys = galleryKeys(galleryId);
  const log: ChangeEntry[] = [];
  for await (const info of store.list(keys.changeLog)) {
    if (!info.key.endsWith('.json')) continue;
    const cacheKey = `${store.uri}\n${info.key}`;
    let entry = entries.get(cacheKey);
    if (!entry) {
      entry = await getJson(store, info.key, ChangeEntrySchema);
      entries.set(cacheKey, entry);
    }
    if (entry.seq !== log.length || info.key !== keys.changeEntry(entry.seq)) {
      throw new DataCorruptError(`${info.key}: change log entry ${entry.seq} is out of sequence (expected ${log.length})`, { details: { key: info.key } });
    }
    log.push(entry);
  }
  return log;
}

/**
 * Appends one change: `draft` is computed from the log as it is, then written create-only as the next entry. When
 * another process appended first, the log is read again and `draft` asked again, so every change is decided against
 * exactly the changes before it. `draft` may return an entry already in the log (the change was committed before,
 * say by a run that was killed afterwards), or undefined when there is nothing left to change: nothing is appended then.
 *
 * @example
 * const { entry } = await appendChange(store, 'photos', () => ({ kind: 'delete', indices: [12] }));
 */
export async function appendChange(
  store: Store,
  galleryId: string,
  draft: (log: readonly ChangeEntry[]) => Draft | Promise<Draft>,
  attempts = 20,
): Promise<{ entry: ChangeEntry | undefined; appended: boolean }> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const log = await readChangeLog(store, galleryId);
    const next = await draft(log);
    if (!next || 'seq' in next) return { entry: next, appended: false };
    const entry = { version: 1, seq: log.length, ...next, createdAt: new Date().toISOString() } as ChangeEntry;
    if (await store.putIfAbsent(galleryKeys(galleryId).changeEntry(entry.seq), `${JSON.stringify(entry)}\n`)) {
      return { entry, appended: true };
    }
  }
  throw new ConflictError(`gallery "${galleryId}": ${attempts} other changes were committed while this one tried to; run it again`);
}
