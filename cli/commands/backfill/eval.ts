import { parseArgs } from 'node:util';
import { BUILTIN_DATASETS, isBuiltinDataset } from '../../../core/backfill/datasets/builtin.ts';
import { meanShare, worstShare, type FlipRateCurve } from '../../../core/backfill/eval/query-flips.ts';
import { ReverseTransformMethod } from '../../../core/backfill/reverse-transform/fit-reverse-transform.ts';
import { evaluateBuiltinWithProgress } from '../../../core/backfill/pipeline/evaluate-with-progress.ts';
import { evaluateGallery } from '../../../core/backfill/gallery/evaluate-gallery.ts';
import type { BackfillEvaluation } from '../../../core/backfill/eval/evaluate-backfill.ts';
import { intOption, UsageError, type CliContext } from '../../context.ts';
import { createProgress } from '../../progress.ts';

export const EVAL_USAGE =
  'reverie backfill eval --dataset fashion-mnist|mnist [--max-queries N] [--seed S] [--online-psi procrustes,least-squares] [--json]\n' +
  'reverie backfill eval --gallery <id> [--max-queries N] [--seed S] [--json]   (an ingested labelled gallery as it stands, adds and deletes applied: the same fields as --dataset)';

export async function evaluate(args: string[], context: CliContext): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { dataset: { type: 'string' }, gallery: { type: 'string' }, 'max-queries': { type: 'string' }, seed: { type: 'string' }, 'online-psi': { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (values.gallery !== undefined) {
    if (values.dataset !== undefined) throw new UsageError(`give --dataset or --gallery, not both; usage:\n${EVAL_USAGE}`);
    const runtime = context.runtime();
    const report = await evaluateGallery(runtime.store, values.gallery, {
      openStore: runtime.sourceStore, maxPixels: runtime.config.limits.maxImagePixels, maxBytes: runtime.config.limits.maxImageBytes,
      seed: intOption(values.seed, '--seed', 0, 2 ** 31), maxQueries: intOption(values['max-queries'], '--max-queries', 1, 1_000_000),
    });
    if (!values.json) context.out(`${values.gallery} as it stands: ${report.gallerySize} items, ${(100 * report.backfilledFraction).toFixed(1)}% backfilled; the curve backfills it from 0 to 100% in a seeded random order`);
    return printReport(report, values.json, context);
  }
  if (!values.dataset || !isBuiltinDataset(values.dataset)) {
    throw new UsageError(`--dataset must be one of ${Object.keys(BUILTIN_DATASETS).join(', ')}; usage:\n${EVAL_USAGE}`);
  }
  const methods = (values['online-psi'] ?? '').split(',').filter(Boolean);
  const known = Object.values(ReverseTransformMethod) as string[];
  const unknown = methods.find((m) => !known.includes(m));
  if (unknown) throw new UsageError(`--online-psi takes ${known.join(', ')}, got "${unknown}"`);
  const progress = createProgress(`evaluating ${values.dataset}`);
  const report = await evaluateBuiltinWithProgress(values.dataset, {
    maxQueries: intOption(values['max-queries'], '--max-queries', 1, 1_000_000), seed: intOption(values.seed, '--seed', 0, 2 ** 31),
    onlinePsi: methods as ReverseTransformMethod[], onProgress: (done, total, stage) => progress.update(done, total, stage),
  });
  progress.done();
  return printReport(report, values.json, context);
}

function printReport(
  report: Pick<BackfillEvaluation, 'mAP' | 'modes' | 'top1' | 'gallerySize' | 'queryCount'> & { dataset: string; timingsMs: unknown }, json: boolean, context: CliContext,
): number {
  const { dataset, mAP, modes, top1, gallerySize, queryCount, timingsMs } = report;
  if (json) {
    context.out(JSON.stringify({ dataset, mAP, modes, top1, gallerySize, queryCount, timingsMs }, null, 2));
    return 0;
  }
  context.out(`${dataset}: ${gallerySize} gallery images, ${queryCount} queries; mAP old ${mAP.old.toFixed(4)}, new ${mAP.new.toFixed(4)}`);
  context.out('  mode                          AUC     relative gain  points < old  top-1 flips (mean/max)  AP drops (mean/max)  mAP@0%  mAP@50%  mAP@100%');
  for (const [mode, s] of Object.entries(modes)) {
    const at = (i: number) => s.curve[i][1].toFixed(4);
    const rate = (curve: FlipRateCurve) => `${percent(meanShare(curve))} / ${percent(worstShare(curve))}`;
    context.out(`  ${mode.padEnd(28)}  ${s.auc.toFixed(4)}  ${(s.relativeGain === null ? 'n/a' : (Math.abs(s.relativeGain) < 5e-4 ? 0 : s.relativeGain).toFixed(3)).padStart(13)}  ${String(s.negativeFlips).padStart(12)}  ${rate(s.queryFlipRate.top1).padStart(22)}  ${rate(s.queryFlipRate.ap).padStart(19)}  ${at(0)}  ${at(Math.floor(s.curve.length / 2))}   ${at(s.curve.length - 1)}`);
  }
  context.out('  points < old: curve points whose mAP is below the old model\'s; flips: share of queries whose top-1 turns right → wrong, or whose AP drops, against the old model (mean and worst over the fractions)');
  return 0;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
