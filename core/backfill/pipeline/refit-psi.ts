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
 * every item backfilled so far and, unless `job.psiFromAdds` is false, of every item added while the old space served
 * (such adds were embedded with both models); deleted items are left out. It commits the fit under `psi/` and makes it
 * the gallery's ψ. The fit is named by the set of shards and adds it used, so re-running a step refits nothing.
 * Galleries with a trained ψ keep it.
 *
 * @example
 * const psi = await refitPsi(store, job); // { source: 'online', method: 'procrustes', pairs: 4000, shards: 4, batch: '…' }
 */
export async function refitPsi(store: Store, job: BackfillJob): Promise<PsiState> {
  const record = await readGalleryRecord(store, job.gallery);
  const state = await readGalleryState(store, job.gallery);
  if (record.models.psi) return { source: 'trained' };
  const shards = await listCommittedShards(store, galleryKeys(job.gallery).shards(ShardKind.new));
  // Items deleted by then are left out of the fit (a fit is named by its shards and adds, so later deletes do not refit it).
  const { deleted, adds } = galleryMembership(record, await readChangeLog(store, job.gallery));
  const paired = job.psiFromAdds === false ? [] : adds.filter((add) => add.spaces.includes('old'));
  const name = psiFitName(shards, paired.map((add) => add.seq));
  const batch = galleryKeys(job.gallery).psiFit(name);
  if (state?.psi.source === 'online' && state.psi.batch === batch) return state.psi;
  const pairs = await readPairedFeatures(store, record, shards, job.maxPsiPairs, deleted, paired);
  if (pairs.new.rows < MIN_ONLINE_PAIRS) return state?.psi ?? { source: 'none' };
  const fit = fitReverseTransform(pairs.new, pairs.old, { method: job.psiMethod });
  const counts = { pairs: pairs.new.rows, shards: shards.length, ...(paired.length > 0 ? { addedPairs: pairs.added } : {}) };
  await commitPsiFit(store, record, name, fit, { method: job.psiMethod, ...counts });
  const psi: PsiState = { source: 'online', batch, method: job.psiMethod, ...counts };
  await writeGalleryState(store, job.gallery, {
    status: state?.status ?? 'backfilling', model: state?.model ?? 'old', psi, ...(state?.lastExecution ? { lastExecution: state.lastExecution } : {}),
  });
  announceGalleryChange(store.uri, job.gallery);
  return psi;
}
