import { z } from 'zod';
import { readManifest } from '../../store/batch.ts';
import type { Store } from '../../store/store.ts';
import { listCommittedShards } from '../gallery/committed-shards.ts';
import { announceGalleryChange } from '../gallery/gallery-changes.ts';
import { readGalleryState, writeGalleryState } from '../gallery/gallery-state.ts';
import { GalleryStatusSchema, readGalleryStatus } from '../gallery/gallery-status.ts';
import { galleryKeys, ShardKind } from '../gallery/keys.ts';
import type { BackfillJob } from './input.ts';

/** Output of the `backfill` workflow: the gallery's status after the run, and what this run embedded. */
export const BackfillSummarySchema = GalleryStatusSchema.extend({
  run: z.object({ executionId: z.string(), shardsEmbedded: z.number().int().nonnegative() }),
});
export type BackfillSummary = z.infer<typeof BackfillSummarySchema>;

/**
 * Last step: once every shard is backfilled, marks the new model as the gallery's model (status `complete`, 100%).
 * A bounded run (`maxShards`) that stops short leaves the gallery `backfilling` for the next run. Either way it
 * reports how many shards this execution embedded, counted from the manifests it committed.
 *
 * @example
 * const summary = await finaliseBackfill(store, job);
 * summary.status; // 'complete' when no shard is left
 */
export async function finaliseBackfill(store: Store, job: BackfillJob): Promise<BackfillSummary> {
  const keys = galleryKeys(job.gallery);
  const done = await listCommittedShards(store, keys.shards(ShardKind.new));
  const state = await readGalleryState(store, job.gallery);
  if (done.length === job.shardsTotal && state?.status !== 'complete') {
    await writeGalleryState(store, job.gallery, {
      status: 'complete', model: 'new', psi: state?.psi ?? { source: job.psi === 'trained' ? 'trained' : 'none' },
      lastExecution: job.executionId,
    });
    announceGalleryChange(store.uri, job.gallery);
  }
  const manifests = await Promise.all(done.map((s) => readManifest(store, keys.shard(ShardKind.new, s))));
  const shardsEmbedded = manifests.filter((m) => m?.meta.executionId === job.executionId).length;
  return { ...(await readGalleryStatus(store, job.gallery)), run: { executionId: job.executionId, shardsEmbedded } };
}
