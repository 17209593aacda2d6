import type { Store } from '../../store/store.ts';
import { galleryShards, readGalleryRecord } from '../gallery/gallery-record.ts';
import { readGalleryState, writeGalleryState } from '../gallery/gallery-state.ts';
import type { BackfillInput, BackfillJob, BackfillWave } from './input.ts';

/**
 * First step of the `backfill` workflow: checks the gallery exists, fixes the job (wave size, ψ source) and this
 * run's shard budget, and records the execution on the gallery. Nothing is embedded here; `nextWave` picks the shards.
 *
 * @example
 * const { job, wave } = await planBackfill(store, BackfillInputSchema.parse({ gallery: 'fashion-mnist', maxShards: 5 }), 'exec-1');
 * wave.budget; // 5
 */
/** The most waves one backfill execution makes (each wave adds about 16 history events). */
export const MAX_WAVES = 1000;

export async function planBackfill(store: Store, input: BackfillInput, executionId: string): Promise<{ job: BackfillJob; wave: BackfillWave }> {
  const record = await readGalleryRecord(store, input.gallery);
  const shardsTotal = galleryShards(record).gallery;
  const state = await readGalleryState(store, input.gallery);
  const psi = record.models.psi ? 'trained' : 'online';
  await writeGalleryState(store, input.gallery, {
    status: state?.status === 'complete' ? 'complete' : 'backfilling',
    model: state?.model ?? 'old',
    psi: state?.psi ?? { source: psi === 'trained' ? 'trained' : 'none' },
    lastExecution: executionId,
  });
  // Waves exist to refit the online ψ as the backfill advances; a trained ψ needs none, so one wave takes every shard.
  // At most MAX_WAVES waves, so the wave loop stays far under Step Functions' 25,000 history events whatever refitEvery says.
  const asked = input.refitEvery ?? (psi === 'trained' ? shardsTotal : Math.max(input.maxConcurrency, Math.ceil(shardsTotal / 10)));
  const waveShards = Math.max(asked, Math.ceil(shardsTotal / MAX_WAVES));
  const job: BackfillJob = {
    gallery: input.gallery, executionId, shardsTotal, waveShards, maxConcurrency: input.maxConcurrency, psi,
    psiMethod: input.psiMethod, maxPsiPairs: input.maxPsiPairs, psiFromAdds: input.psiFromAdds, batchSize: input.batchSize, intraOpNumThreads: input.intraOpNumThreads,
  };
  return { job, wave: { shards: [], hasWork: false, budget: input.maxShards } };
}
