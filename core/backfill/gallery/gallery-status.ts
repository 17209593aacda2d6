import { z } from 'zod';
import type { Store } from '../../store/store.ts';
import { readChangeLog } from './changes/change-log.ts';
import { galleryMembership, liveBackfilled } from './changes/membership.ts';
import { listCommittedShards } from './committed-shards.ts';
import { galleryShards, GallerySourceSchema, readGalleryRecord } from './gallery-record.ts';
import { GalleryStateSchema, readGalleryState } from './gallery-state.ts';
import { GALLERIES_PREFIX, galleryKeys, ShardKind } from './keys.ts';

/** A gallery's backfill progress as the CLI, the API and the dashboard show it. */
export const GalleryStatusSchema = z.object({
  id: z.string(),
  status: z.enum(['ingested', 'backfilling', 'complete']),
  /** The model the gallery's index answers with: `new` once the backfill is finalised. */
  model: z.enum(['old', 'new']),
  source: GallerySourceSchema,
  /** Streamed galleries ingested with `--store-tensors`: the backfill embeds the new model's stored input tensors, not the source. */
  storedTensors: z.literal('new').optional(),
  /** Items in the gallery now (ingested + added − deleted), and how many of them have new-model features. */
  items: z.object({ total: z.number().int(), backfilled: z.number().int() }),
  /** Adds and deletes since ingest (`reverie backfill add|delete`): items added, items deleted, change log entries. */
  changes: z.object({ added: z.number().int(), deleted: z.number().int(), entries: z.number().int() }),
  shards: z.object({ total: z.number().int(), backfilled: z.number().int(), size: z.number().int() }),
  backfilledFraction: z.number(),
  queries: z.number().int(),
  dims: z.object({ old: z.number().int(), new: z.number().int() }),
  psi: GalleryStateSchema.shape.psi,
  lastExecution: z.string().optional(),
  updatedAt: z.string().optional(),
});
export type GalleryStatusReport = z.infer<typeof GalleryStatusSchema>;

/**
 * Progress of one gallery, counted from its committed `new/` shard manifests and its change log (always current, even
 * while a backfill runs and items are added or deleted), with the status, model and ψ the workflow's serial steps
 * recorded. Deleted items count nowhere; added items count as backfilled, since they arrive with new-model features.
 *
 * @example
 * const status = await readGalleryStatus(store, 'fashion-mnist');
 * status.items; // { total: 19600, backfilled: 4000 }
 */
export async function readGalleryStatus(store: Store, galleryId: string): Promise<GalleryStatusReport> {
  const record = await readGalleryRecord(store, galleryId);
  const [state, done, log] = await Promise.all([
    readGalleryState(store, galleryId), listCommittedShards(store, galleryKeys(galleryId).shards(ShardKind.new)), readChangeLog(store, galleryId),
  ]);
  const total = galleryShards(record).gallery;
  const membership = galleryMembership(record, log);
  const backfilled = liveBackfilled(record, membership, done);
  const complete = state?.status === 'complete' && done.length === total;
  return {
    id: record.id,
    status: complete ? 'complete' : done.length > 0 || state?.status === 'backfilling' ? 'backfilling' : 'ingested',
    model: complete ? 'new' : 'old',
    source: record.source,
    ...(record.storedTensors ? { storedTensors: record.storedTensors } : {}),
    items: { total: membership.live, backfilled },
    changes: { added: membership.added, deleted: membership.deletedCount, entries: log.length },
    shards: { total, backfilled: done.length, size: record.shardSize },
    backfilledFraction: membership.live === 0 ? 0 : backfilled / membership.live,
    queries: record.queries,
    dims: { old: record.models.old.dim, new: record.models.new.dim },
    psi: state?.psi ?? { source: record.models.psi ? 'trained' : 'none' },
    ...(state?.lastExecution ? { lastExecution: state.lastExecution } : {}),
    ...(state ? { updatedAt: state.updatedAt } : {}),
  };
}

/** Every gallery in the store (those whose ingest finished), by id. */
export async function listGalleryIds(store: Store): Promise<string[]> {
  const ids: string[] = [];
  for await (const info of store.list(`${GALLERIES_PREFIX}/`)) {
    const match = /^backfill\/galleries\/([^/]+)\/gallery\.json$/.exec(info.key);
    if (match) ids.push(match[1]);
  }
  return ids.sort();
}

/** The status of every gallery, for `reverie backfill status` and the dashboard. */
export async function listGalleryStatuses(store: Store): Promise<GalleryStatusReport[]> {
  return Promise.all((await listGalleryIds(store)).map((id) => readGalleryStatus(store, id)));
}
