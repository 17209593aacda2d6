import { InvalidInputError } from '../../errors.ts';
import type { Store } from '../../store/store.ts';
import { evaluateBackfill, type BackfillEvaluation } from '../eval/evaluate-backfill.ts';
import { fitReverseTransform } from '../reverse-transform/fit-reverse-transform.ts';
import { readChangeLog } from './changes/change-log.ts';
import { galleryMembership } from './changes/membership.ts';
import { readGalleryFeaturesNow, readLabelledQueries, type FeaturesNowOptions } from './gallery-features-now.ts';
import { loadGalleryPsi } from './gallery-models.ts';
import { readGalleryRecord } from './gallery-record.ts';

export interface GalleryEvalOptions extends FeaturesNowOptions {
  /** Seed of the random backfill order of the curve. Default 1. */
  readonly seed?: number;
  /** Evaluate at most this many labelled queries, evenly spaced. Default all. */
  readonly maxQueries?: number;
}

/** The dataset eval's fields (`evaluateBackfill`), plus where the gallery's own backfill stands. */
export interface GalleryEvaluation extends BackfillEvaluation {
  readonly dataset: string;
  /** Share of the items there now that the backfill (or an add) gave new-model features; the curve covers 0…1 regardless. */
  readonly backfilledFraction: number;
  readonly timingsMs: { readonly load: number; readonly queries: number; readonly evaluate: number };
}

/**
 * `reverie backfill eval --gallery`: evaluates an ingested labelled gallery as it stands, whichever kind it is (decoded
 * images or a streamed photo source) and however far its backfill got, the way `--dataset` evaluates a built-in one —
 * the same fields: mAP and top-1 of both models, and per mode the curve over a seeded random backfill order, its AUC,
 * relative gain, negative flips and per-query flip rates. The gallery is what its change log leaves (deleted items out,
 * added items in); stored embeddings are used where they exist and the rest embedded now (`readGalleryFeaturesNow`).
 * ψ is the trained one given at ingest, else a Procrustes fit on every live pair (the final online fit). Relevant =
 * same class; unlabelled items never are, unlabelled queries are left out, and a gallery without labelled queries is
 * an InvalidInputError (it has no mAP).
 *
 * @example
 * const report = await evaluateGallery(store, 'photos', { openStore });
 * report.modes['rt-merge'].relativeGain;
 */
export async function evaluateGallery(store: Store, galleryId: string, options: GalleryEvalOptions = {}): Promise<GalleryEvaluation> {
  const started = performance.now();
  const record = await readGalleryRecord(store, galleryId);
  if (record.queries === 0) throw new InvalidInputError(`gallery "${galleryId}" has no held-out queries, so it has no mAP (search works without them)`);
  const membership = galleryMembership(record, await readChangeLog(store, galleryId));
  if (membership.live === 0) throw new InvalidInputError(`gallery "${galleryId}" holds no items now: there is nothing to evaluate`);
  const gallery = await readGalleryFeaturesNow(store, record, membership, options);
  const loaded = performance.now();
  const queries = await readLabelledQueries(store, record, options);
  if (queries.labels.length === 0) throw new InvalidInputError(`gallery "${galleryId}" has no labelled queries, so it has no mAP (search works without labels)`);
  const embedded = performance.now();
  const trained = await loadGalleryPsi(store, record);
  const psi = trained ? await trained.apply(queries.new) : fitReverseTransform(gallery.new, gallery.old).applySync(queries.new);
  const report = evaluateBackfill({ gallery, queries, psi, seed: options.seed ?? 1 });
  return {
    dataset: galleryId, ...report, backfilledFraction: gallery.backfilled / membership.live,
    timingsMs: { load: loaded - started, queries: embedded - loaded, evaluate: performance.now() - embedded },
  };
}
