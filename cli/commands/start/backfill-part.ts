import { ingestGallery } from '../../../core/backfill/gallery/ingest.ts';
import { readGalleryStatus } from '../../../core/backfill/gallery/gallery-status.ts';
import { searchGallery } from '../../../core/backfill/gallery/search/search-gallery.ts';
import { meanShare, worstShare } from '../../../core/backfill/eval/query-flips.ts';
import { evaluateBuiltinWithProgress } from '../../../core/backfill/pipeline/evaluate-with-progress.ts';
import { runWorkflowWithProgress } from '../workflow-runner.ts';
import type { Part, PartContext, PartResult } from './part.ts';

const DATASET = 'fashion-mnist';
const ORDER_SEED = 1;
const SCALE = {
  full: { gallery: 'fashion-mnist', maxItems: undefined, maxQueries: undefined },
  quick: { gallery: 'fashion-mnist-quick', maxItems: 2000, maxQueries: 100 },
} as const;

/**
 * Online backfilling of Fashion-MNIST through the real pipeline: ingest the gallery with its old-model index, run the
 * `backfill` workflow in two bounded runs (as an off-peak schedule would), search the gallery half-way, then the
 * paper's evaluation: mAP and top-1 at backfill fractions 0 … 1 for each search mode, AUC, relative gain, curve points
 * below the old model, and the per-query negative-flip rates.
 */
export const backfillPart: Part = {
  name: 'backfill',
  title: 'Online backfilling (Fashion-MNIST)',
  async run(context: PartContext): Promise<PartResult> {
    const { store } = context.runtime;
    const scale = SCALE[context.scale];
    const ingestProgress = context.progress('ingesting the gallery');
    const ingest = await ingestGallery(store, {
      dataset: DATASET, galleryId: scale.gallery, maxItems: scale.maxItems, maxQueries: scale.maxQueries, orderSeed: ORDER_SEED,
      onProgress: (done, total, stage) => ingestProgress.update(done, total, stage),
    });
    ingestProgress.done();
    const half = Math.ceil(ingest.shards / 2);
    const before = await readGalleryStatus(store, scale.gallery);
    const started = performance.now();
    const first = await runWorkflowWithProgress(context.cli, 'backfill', { gallery: scale.gallery, maxShards: half }, { title: 'backfill, first off-peak run', quiet: context.quiet });
    if (first.status !== 'SUCCEEDED') throw new Error(`backfill ${first.status}: ${first.error?.cause ?? ''}`);
    const midway = await readGalleryStatus(store, scale.gallery);
    const search = await searchGallery(store, scale.gallery, { itemId: 'q-00000', mode: 'rt-merge', k: 10 });
    const second = await runWorkflowWithProgress(context.cli, 'backfill', { gallery: scale.gallery }, { title: 'backfill, second run', quiet: context.quiet });
    if (second.status !== 'SUCCEEDED') throw new Error(`backfill ${second.status}: ${second.error?.cause ?? ''}`);
    const seconds = (performance.now() - started) / 1000;
    const status = await readGalleryStatus(store, scale.gallery);

    const evalProgress = context.progress('evaluating search modes during the backfill');
    const report = await evaluateBuiltinWithProgress(DATASET, {
      seed: ORDER_SEED, maxQueries: scale.maxQueries, onProgress: (done, total, stage) => evalProgress.update(done, total, stage),
    });
    evalProgress.done();
    const modes = Object.fromEntries(Object.entries(report.modes).map(([mode, r]) => [mode, {
      auc: r.auc, relativeGain: r.relativeGain, negativeFlips: r.negativeFlips, curve: r.curve.map((p) => [p[0], p[1], p[2]] as [number, number, number]),
      queryFlipRate: { top1: r.queryFlipRate.top1.map(([f, v]) => [f, v] as [number, number]), ap: r.queryFlipRate.ap.map(([f, v]) => [f, v] as [number, number]) },
    }]));
    const rt = report.modes['rt-merge'];
    const sameLabel = search.hits.filter((h) => h.label === search.query.label).length;
    return {
      report: {
        backfill: {
          dataset: DATASET, galleryItems: report.gallerySize, queries: report.queryCount, mAP: report.mAP, top1: report.top1, modes,
          throughput: { itemsPerSecond: (status.items.backfilled - before.items.backfilled) / seconds, searchLatencyMs: search.latencyMs },
        },
      },
      datasets: [{ name: `backfill: ${scale.gallery} gallery (new index)`, records: status.items.backfilled, uri: `${store.uri}/backfill/galleries/${scale.gallery}/` }],
      summary: [
        ['backfill: gallery re-embedded', reembedded(before.items.backfilled, status.items.backfilled, status.shards.total, seconds)],
        ['backfill: search after the first run', `${(midway.backfilledFraction * 100).toFixed(0)}% backfilled, rt-merge top-10 ${sameLabel}/10 same class, ${search.latencyMs.toFixed(1)} ms`],
        ['backfill: mAP old → new', `${report.mAP.old.toFixed(3)} → ${report.mAP.new.toFixed(3)}`],
        ['backfill: rt-merge relative gain / curve points below old mAP', `${gain(rt.relativeGain)} / ${rt.negativeFlips}`],
        ['backfill: rt-merge queries whose top-1 turns right → wrong (mean / worst fraction)', `${pct(meanShare(rt.queryFlipRate.top1))} / ${pct(worstShare(rt.queryFlipRate.top1))}`],
        ['backfill: rt-merge queries whose AP drops (mean / worst fraction)', `${pct(meanShare(rt.queryFlipRate.ap))} / ${pct(worstShare(rt.queryFlipRate.ap))}`],
        ['backfill: rank-merge relative gain', gain(report.modes['rank-merge'].relativeGain)],
      ],
      seeds: { backfillOrder: ORDER_SEED },
    };
  },
};

function pct(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function gain(value: number | null): string {
  return value === null ? 'n/a (old and new score equal)' : value.toFixed(3);
}

function reembedded(before: number, after: number, shards: number, seconds: number): string {
  if (before === after) return `${after} items in ${shards} shards, all committed by an earlier run: nothing re-embedded`;
  const done = after - before;
  return `${done} items in two bounded runs (${shards} shards), ${(done / seconds).toFixed(0)} items/s${before ? `, resuming after ${before} committed earlier` : ''}`;
}
