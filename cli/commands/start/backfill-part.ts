import { evaluateBuiltinBackfill } from '../../../core/backfill/index.ts';
import type { Part, PartContext, PartResult } from './part.ts';

const DATASET = 'fashion-mnist';
const ORDER_SEED = 1;

/**
 * Online backfilling of Fashion-MNIST with our old/new/ψ models: mAP and top-1 at backfill fractions 0 … 1 for each
 * search mode, AUC, relative gain and negative flips.
 */
export const backfillPart: Part = {
  name: 'backfill',
  title: 'Online backfilling (Fashion-MNIST)',
  async run(context: PartContext): Promise<PartResult> {
    const progress = context.progress('evaluating search modes during the backfill');
    progress.update(0, undefined, 'embedding gallery and queries');
    const report = await evaluateBuiltinBackfill(DATASET, { seed: ORDER_SEED });
    progress.done();
    const modes = Object.fromEntries(Object.entries(report.modes).map(([mode, r]) => [mode, { auc: r.auc, relativeGain: r.relativeGain, negativeFlips: r.negativeFlips, curve: r.curve.map((p) => [p[0], p[1], p[2]] as [number, number, number]) }]));
    const rt = report.modes['rt-merge'];
    return {
      report: { backfill: { dataset: DATASET, galleryItems: report.gallerySize, queries: report.queryCount, mAP: report.mAP, top1: report.top1, modes } },
      datasets: [],
      summary: [
        ['backfill: mAP old → new', `${report.mAP.old.toFixed(3)} → ${report.mAP.new.toFixed(3)}`],
        ['backfill: rt-merge relative gain / negative flips', `${gain(rt.relativeGain)} / ${rt.negativeFlips}`],
        ['backfill: rank-merge relative gain', gain(report.modes['rank-merge'].relativeGain)],
      ],
      seeds: { backfillOrder: ORDER_SEED },
    };
  },
};

function gain(value: number | null): string {
  return value === null ? 'n/a (old and new score equal)' : value.toFixed(3);
}
