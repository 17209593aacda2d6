import type { Store } from '../../store/store.ts';
import { fitReverseTransform } from '../reverse-transform/fit-reverse-transform.ts';
import { MIN_ONLINE_PAIRS } from '../eval/online-psi.ts';
import { readChangeLog } from '../gallery/changes/change-log.ts';
import { galleryMembership } from '../gallery/changes/membership.ts';
import { listCommittedShards } from '../gallery/committed-shards.ts';
import { announceGalleryChange } from '../gallery/gallery-changes.ts';
import { readGalleryRecord } from '../gallery/gallery-record.ts';
import { readGalleryState, writeGalleryState, type PsiState } from '../gallery/gallery-state.ts';
import { galleryKeys, ShardKind } from '../gallery/keys.ts';
import { commitPsiFit, psiFitName } from '../gallery/psi-fit.ts';
import type { BackfillJob } from './input.ts';
import { readPairedFeatures } from './paired-features.ts';

/**
 * After each wave: when the gallery has no trained ψ, fits the closed-form ψ (new → old) on the paired features of
 * every item backfilled so far (deleted ones left out), commits it under `psi/`, and makes it the gallery's ψ. The fit is named by the set of
 * shards it used, so re-running a step refits nothing. Galleries with a trained ψ keep it.
 *
 * @example
 * const psi = await refitPsi(store, job); // { source: 'online', method: 'procrustes', pairs: 4000, shards: 4, batch: '…' }
 */
export async function refitPsi(store: Store, job: BackfillJob): Promise<PsiState> {
  const record = await readGalleryRecord(store, job.gallery);
  const state = await readGalleryState(store, job.gallery);
  if (record.models.psi) return { source: 'trained' };
  const shards = await listCommittedShards(store, galleryKeys(job.gallery).shards(ShardKind.new));
  const batch = galleryKeys(job.gallery).psiFit(psiFitName(shards));
  if (state?.psi.source === 'online' && state.psi.batch === batch) return state.psi;
  // Items deleted by then are left out of the fit (a fit is named by its shards, so later deletes do not refit it).
  const { deleted } = galleryMembership(record, await readChangeLog(store, job.gallery));
  const pairs = await readPairedFeatures(store, record, shards, job.maxPsiPairs, deleted);
  if (pairs.new.rows < MIN_ONLINE_PAIRS) return state?.psi ?? { source: 'none' };
  const fit = fitReverseTransform(pairs.new, pairs.old, { method: job.psiMethod });
  await commitPsiFit(store, record, psiFitName(shards), fit, { method: job.psiMethod, pairs: pairs.new.rows, shards: shards.length });
  const psi: PsiState = { source: 'online', batch, method: job.psiMethod, pairs: pairs.new.rows, shards: shards.length };
  await writeGalleryState(store, job.gallery, {
    status: state?.status ?? 'backfilling', model: state?.model ?? 'old', psi, ...(state?.lastExecution ? { lastExecution: state.lastExecution } : {}),
  });
  announceGalleryChange(store.uri, job.gallery);
  return psi;
}
