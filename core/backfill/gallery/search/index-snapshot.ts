import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { InvalidInputError, NotFoundError } from '../../../errors.ts';
import type { Store } from '../../../store/store.ts';
import { joinKey } from '../../../store/keys.ts';
import { BACKFILL_INDEX_PARTS, openBackfillIndexes, type BackfillIndexes } from '../../search/index/backfill-indexes.ts';
import type { VectorIndexFactory } from '../../search/index/vector-index.ts';
import type { GalleryRecord } from '../gallery-record.ts';
import { galleryKeys } from '../keys.ts';

const SnapshotSchema = z.object({
  kind: z.string(),
  /** False for kinds whose indexes live in a service: the snapshot only records which shards they hold. */
  stored: z.boolean(),
  ingest: z.string(),
  /** New-model shards applied to the indexes, ascending. */
  shards: z.array(z.number().int().nonnegative()),
  /** Change log entries applied to the indexes (snapshots written before galleries had changes hold none). */
  changes: z.number().int().nonnegative().default(0),
  id: z.string().regex(/^[0-9a-f-]{36}$/),
});
type Snapshot = z.infer<typeof SnapshotSchema>;

const rootOf = (record: GalleryRecord, kind: string) => joinKey(galleryKeys(record.id).root, 'vector-index', kind);
const partKey = (root: string, id: string, part: string) => joinKey(root, `${id}-${part}.bin`);

/**
 * Writes the indexes to the store: each part's bytes under a fresh id, then `snapshot.json` naming that id, the
 * shards and the count of change log entries the indexes hold, then the previous snapshot's parts are deleted. Readers see the old or the new snapshot,
 * never a mix; a crash mid-write leaves orphan parts, not a broken snapshot. For a kind whose indexes live in a
 * service only `snapshot.json` is written, so a new process knows which shards the service already holds.
 */
export async function writeIndexSnapshot(
  store: Store, record: GalleryRecord, indexes: BackfillIndexes, shards: readonly number[], changes: number,
): Promise<void> {
  const bytes = await Promise.all(BACKFILL_INDEX_PARTS.map((p) => indexes[p].serialize()));
  const stored = bytes.every((b) => b !== undefined);
  const kind = indexes.new.kind;
  const root = rootOf(record, kind);
  const previous = await readSnapshotJson(store, root);
  const snapshot: Snapshot = { kind, stored, ingest: record.fingerprint, shards: [...shards], changes, id: randomUUID() };
  if (stored) await Promise.all(BACKFILL_INDEX_PARTS.map((p, i) => store.put(partKey(root, snapshot.id, p), bytes[i]!)));
  await store.put(joinKey(root, 'snapshot.json'), JSON.stringify(snapshot));
  if (previous?.stored) await Promise.all(BACKFILL_INDEX_PARTS.map((p) => store.delete(partKey(root, previous.id, p))));
}

/** The stored indexes of `factory`'s kind and the shards they hold, or undefined when none match this ingest. */
export async function readIndexSnapshot(store: Store, record: GalleryRecord, factory: VectorIndexFactory): Promise<{ indexes: BackfillIndexes; shards: number[]; changes: number } | undefined> {
  const root = rootOf(record, factory.kind);
  const snapshot = await readSnapshotJson(store, root);
  if (!snapshot || snapshot.ingest !== record.fingerprint) return undefined;
  const bytes = await Promise.all(BACKFILL_INDEX_PARTS.map((p) => (snapshot.stored ? store.get(partKey(root, snapshot.id, p)) : undefined)));
  const stored = { oldRemaining: bytes[0], oldBackfilled: bytes[1], new: bytes[2] };
  return { indexes: await openBackfillIndexes(factory, record.id, record.models.old.dim, record.models.new.dim, stored), shards: snapshot.shards, changes: snapshot.changes };
}

async function readSnapshotJson(store: Store, root: string): Promise<Snapshot | undefined> {
  let text: string;
  try {
    text = new TextDecoder().decode(await store.get(joinKey(root, 'snapshot.json')));
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
  const parsed = SnapshotSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new InvalidInputError(`${root}/snapshot.json is not a vector-index snapshot: ${parsed.error.message}`);
  return parsed.data;
}
