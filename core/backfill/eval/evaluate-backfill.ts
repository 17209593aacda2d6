import { InvalidInputError } from '../../errors.ts';
import { NO_LABEL } from '../datasets/image-set.ts';
import { assertDim, type FeatureMatrix } from '../features.ts';
import { scoreAll } from '../search/dot.ts';
import { IDENTITY_CALIBRATION, SearchMode, type ScoreCalibration } from '../search/search-mode.ts';
import { mergedAveragePrecision, rankRow, type RankedRow } from './average-precision.ts';
import { backfilledCount, backfillOrder, DEFAULT_FRACTIONS } from './backfill-order.ts';
import { summarizeCurve, type CurvePoint, type CurveSummary } from './curve-summary.ts';
import { QueryFlipCounter, type QueryFlipRate } from './query-flips.ts';

export interface LabelledFeatures {
  readonly old: FeatureMatrix;
  readonly new: FeatureMatrix;
  /** Class index per row (any number of classes); NO_LABEL (-1) is never relevant. */
  readonly labels: ArrayLike<number>;
}

export interface BackfillEvalInput {
  readonly gallery: LabelledFeatures;
  readonly queries: LabelledFeatures;
  /** ψ(φ_new(q)) for every query, unit length: adds the `rt-merge` curve. */
  readonly psi?: FeatureMatrix;
  /** More `rt-merge` curves whose ψ changes along the backfill (e.g. refitted online): ψ query features per curve point. */
  readonly psiPerFraction?: Readonly<Record<string, readonly FeatureMatrix[]>>;
  /** Old-part score calibration for the `rt-merge` curves. Default identity. */
  readonly calibration?: ScoreCalibration;
  /** Default 0, 0.1, …, 1. */
  readonly fractions?: readonly number[];
  /** Seed of the random backfill order (default 1); or pass `order` itself. */
  readonly seed?: number;
  readonly order?: Uint32Array;
}

/** A mode's curve summary and its per-query negative flips against the old model. */
export interface ModeEvaluation extends CurveSummary {
  readonly queryFlipRate: QueryFlipRate;
}

export interface BackfillEvaluation {
  readonly mAP: { readonly old: number; readonly new: number };
  readonly top1: { readonly old: number; readonly new: number };
  /** One curve per mode: `old`, `naive` (when dims are equal), `rank-merge`, `rt-merge` (with `psi`), and each `psiPerFraction` name. */
  readonly modes: Readonly<Record<string, ModeEvaluation>>;
  /** Labelled queries with at least one relevant gallery item (the others are left out of every mean). */
  readonly queryCount: number;
  readonly gallerySize: number;
}

/**
 * The paper's evaluation: for each mode, mAP and top-1 (CMC rank-1) against the fraction of the gallery backfilled,
 * in a seeded random order, and the AUC / relative gain summary; `negativeFlips` counts curve points below the old
 * model's mAP, and `queryFlipRate` the per-query negative flips (top-1 right → wrong, AP lower) against the old
 * model at each fraction. Relevant = same label.
 * Every query's score rows (one per space) are computed and sorted once; each (mode, fraction) point is then a
 * linear merge of two sorted rows (`mergedAveragePrecision`), so the whole curve costs little more than one search.
 *
 * @example
 * const result = evaluateBackfill({ gallery, queries, psi, seed: 7 });
 * result.modes['rt-merge'].relativeGain; // e.g. 0.7
 */
export function evaluateBackfill(input: BackfillEvalInput): BackfillEvaluation {
  const { gallery, queries } = input;
  const n = gallery.old.rows;
  checkInput(input);
  const fractions = input.fractions ?? DEFAULT_FRACTIONS;
  const order = input.order ?? backfillOrder(n, input.seed ?? 1);
  if (order.length !== n) throw new InvalidInputError(`backfill order has ${order.length} items, the gallery ${n}`);
  const counts = fractions.map((f) => backfilledCount(n, f));
  const backfillRank = new Uint32Array(n);
  for (let r = 0; r < n; r++) backfillRank[order[r]] = r;
  const calibration = input.calibration ?? IDENTITY_CALIBRATION;
  const naive = gallery.new.dim === gallery.old.dim;
  const relevantByLabel = new Map<number, number>();
  for (let i = 0; i < n; i++) relevantByLabel.set(gallery.labels[i], (relevantByLabel.get(gallery.labels[i]) ?? 0) + 1);

  const curves = new Map<string, { ap: Float64Array; top1: Float64Array; flips: QueryFlipCounter }>();
  const curveOf = (name: string) => {
    let c = curves.get(name);
    if (!c) curves.set(name, (c = { ap: new Float64Array(fractions.length), top1: new Float64Array(fractions.length), flips: new QueryFlipCounter(fractions) }));
    return c;
  };
  const oldFlips = new QueryFlipCounter(fractions);
  const single = { old: { ap: 0, top1: 0 }, new: { ap: 0, top1: 0 } };
  let counted = 0;
  const scores = new Float32Array(n);
  let label = 0;
  const rank = (q: FeatureMatrix, qi: number, g: FeatureMatrix, cal = IDENTITY_CALIBRATION): RankedRow => {
    scoreAll(q.data, qi, g.data, g.dim, scores);
    if (cal !== IDENTITY_CALIBRATION) for (let i = 0; i < n; i++) scores[i] = cal.scale * scores[i] + cal.shift;
    return rankRow(scores, gallery.labels, label, backfillRank);
  };

  for (let qi = 0; qi < queries.old.rows; qi++) {
    label = queries.labels[qi];
    const relevant = relevantByLabel.get(label) ?? 0;
    if (relevant === 0 || label === NO_LABEL) continue;
    counted++;
    const oo = rank(queries.old, qi, gallery.old);
    const nn = rank(queries.new, qi, gallery.new);
    const no = naive ? rank(queries.new, qi, gallery.old) : null;
    const psi = input.psi ? rank(input.psi, qi, gallery.old, calibration) : null;
    const o = mergedAveragePrecision(oo, null, 0, relevant);
    const add = (name: string, f: number, oldRow: RankedRow, newRow: RankedRow) => {
      const s = mergedAveragePrecision(oldRow, newRow, counts[f], relevant);
      const c = curveOf(name);
      c.ap[f] += s.averagePrecision;
      c.top1[f] += s.top1;
      c.flips.record(f, s, o);
    };
    const w = mergedAveragePrecision(nn, null, 0, relevant);
    single.old.ap += o.averagePrecision; single.old.top1 += o.top1;
    single.new.ap += w.averagePrecision; single.new.top1 += w.top1;
    for (let f = 0; f < fractions.length; f++) {
      oldFlips.record(f, o, o);
      if (no) add(SearchMode.naive, f, no, nn);
      add(SearchMode.rankMerge, f, oo, nn);
      if (psi) add(SearchMode.rtMerge, f, psi, nn);
      for (const [name, perFraction] of Object.entries(input.psiPerFraction ?? {})) {
        add(name, f, rank(perFraction[f], qi, gallery.old, calibration), nn);
      }
    }
  }
  if (counted === 0) throw new InvalidInputError('no query has a relevant (same-label) item in the gallery');
  const mAP = { old: single.old.ap / counted, new: single.new.ap / counted };
  const modes: Record<string, ModeEvaluation> = {
    [SearchMode.old]: {
      ...summarizeCurve(fractions.map((f) => [f, mAP.old, single.old.top1 / counted] as const), mAP.old, mAP.new),
      queryFlipRate: oldFlips.rates(fractions, counted),
    },
  };
  for (const [name, c] of curves) {
    const curve: CurvePoint[] = fractions.map((f, i) => [f, c.ap[i] / counted, c.top1[i] / counted]);
    modes[name] = { ...summarizeCurve(curve, mAP.old, mAP.new), queryFlipRate: c.flips.rates(fractions, counted) };
  }
  return { mAP, top1: { old: single.old.top1 / counted, new: single.new.top1 / counted }, modes, queryCount: counted, gallerySize: n };
}

function checkInput(input: BackfillEvalInput): void {
  const { gallery, queries } = input;
  const n = gallery.old.rows;
  if (gallery.new.rows !== n || gallery.labels.length !== n) {
    throw new InvalidInputError(`gallery has ${n} old rows, ${gallery.new.rows} new rows and ${gallery.labels.length} labels; they must match`);
  }
  const m = queries.old.rows;
  if (queries.new.rows !== m || queries.labels.length !== m) {
    throw new InvalidInputError(`queries have ${m} old rows, ${queries.new.rows} new rows and ${queries.labels.length} labels; they must match`);
  }
  assertDim(queries.old, gallery.old.dim, 'old-model query features');
  assertDim(queries.new, gallery.new.dim, 'new-model query features');
  const psis = [...(input.psi ? [input.psi] : []), ...Object.values(input.psiPerFraction ?? {}).flat()];
  for (const p of psis) {
    assertDim(p, gallery.old.dim, 'ψ query features');
    if (p.rows !== m) throw new InvalidInputError(`ψ query features have ${p.rows} rows, expected ${m}`);
  }
  for (const [name, perFraction] of Object.entries(input.psiPerFraction ?? {})) {
    const expected = (input.fractions ?? DEFAULT_FRACTIONS).length;
    if (perFraction.length !== expected) throw new InvalidInputError(`"${name}" has ψ features for ${perFraction.length} fractions, expected ${expected}`);
  }
}
