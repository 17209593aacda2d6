/**
 * Fashion-MNIST's backfill curve through the vector-index search, exact and usearch side by side: the gallery is
 * backfilled in waves of a tenth (the seeded random order of `backfill eval`), each wave applied to both sets of
 * indexes the way a committed shard is (`applyBackfillWave`), and after each wave every query runs the merged
 * search (rank-merge, rt-merge with the trained ψ) on each set (`indexBackfillCurves`). An index returns a top-k, not
 * a ranking of the whole gallery, so the score is mAP@k for both: the comparison isolates the index. AUC and relative
 * gain as in `backfill eval`, the old and new scores being the curve's ends. With several `--seeds` (backfill orders;
 * usearch's graph has its own randomness) the images are embedded once and each seed runs both curves; a summary
 * gives each difference's mean, 95% interval and range over the seeds.
 *
 *   npm run bench -- backfill/index-eval              # 19,600 gallery images, 1,400 queries, k = 100, seed 1
 *   npm run bench -- backfill/index-eval --seeds 1,2,3
 *   npm run bench -- backfill/index-eval --queries 300 --k 50
 */
import { parseArgs } from 'node:util';
import { loadBuiltinDataset } from '../../core/backfill/datasets/builtin.ts';
import { subsetImages } from '../../core/backfill/datasets/image-set.ts';
import { splitImageSet } from '../../core/backfill/datasets/split.ts';
import { OnnxEmbedder } from '../../core/backfill/embedder.ts';
import { backfillOrder, DEFAULT_FRACTIONS } from '../../core/backfill/eval/backfill-order.ts';
import { builtinModelFiles } from '../../core/backfill/eval/evaluate-builtin.ts';
import { indexBackfillCurves } from '../../core/backfill/eval/index-curve.ts';
import type { FeatureMatrix } from '../../core/backfill/features.ts';
import { OnnxTransform } from '../../core/backfill/reverse-transform/onnx-transform.ts';
import { exactIndexFactory } from '../../core/backfill/search/index/exact-index.ts';
import { usearchIndexFactory } from '../../core/backfill/search/index/usearch-index.ts';
import type { SearchMode } from '../../core/backfill/search/search-mode.ts';
import { meanInterval } from '../../core/stats/mean-interval.ts';
import { writeResult } from '../backfill-pipeline/table.ts';

const { values } = parseArgs({ options: { queries: { type: 'string' }, k: { type: 'string', default: '100' }, seed: { type: 'string' }, seeds: { type: 'string' } } });
const K = Number(values.k);
const seeds = (values.seeds ?? values.seed ?? '1').split(',').map(Number);
if (seeds.some((s) => !Number.isInteger(s))) throw new Error(`--seeds takes integers, got ${values.seeds ?? values.seed}`);
const MODES: SearchMode[] = ['rank-merge', 'rt-merge'];

const images = await loadBuiltinDataset('fashion-mnist');
const split = splitImageSet(images);
const galleryImages = subsetImages(images, split.gallery);
const queryIds = values.queries ? split.query.filter((_, i) => i % Math.ceil(split.query.length / Number(values.queries)) === 0) : split.query;
const queryImages = subsetImages(images, queryIds);
const files = builtinModelFiles('fashion-mnist');
async function embed(model: string): Promise<[FeatureMatrix, FeatureMatrix]> {
  const embedder = await OnnxEmbedder.load(model);
  try {
    return [await embedder.embedImages(galleryImages), await embedder.embedImages(queryImages)];
  } finally {
    await embedder.release();
  }
}
const [galleryOld, queryOld] = await embed(files.old);
const [galleryNew, queryNew] = await embed(files.new);
const transform = await OnnxTransform.load(files.psi);
const psi = await transform.apply(queryNew);
await transform.release();
const n = galleryOld.rows;
console.error(`embedded ${n} gallery images and ${queryOld.rows} queries`);

/** Share of the exact top-k the approximate search returned, the lowest over the fractions. */
function minRecall(a: number[][][], b: number[][][]): number {
  return Math.min(...a.map((rows, f) => {
    let same = 0, all = 0;
    rows.forEach((row, q) => {
      const want = new Set(b[f][q]);
      same += row.filter((i) => want.has(i)).length;
      all += want.size;
    });
    return same / all;
  }));
}
const rows: Array<Record<string, number | string>> = [];
const curves: Record<string, unknown> = {};
for (const seed of seeds) {
  const input = {
    gallery: { old: galleryOld, new: galleryNew, labels: galleryImages.labels },
    queries: { old: queryOld, new: queryNew, psi, labels: queryImages.labels },
    order: backfillOrder(n, seed), fractions: DEFAULT_FRACTIONS, modes: MODES, k: K,
  };
  const exact = await indexBackfillCurves(exactIndexFactory, input);
  const approx = await indexBackfillCurves(usearchIndexFactory({ addThreads: 2 }), input);
  console.error(`seed ${seed} done`);
  for (const mode of MODES) {
    const e = exact[mode], u = approx[mode];
    rows.push({
      mode, seed, k: K, 'exact auc': +e.auc.toFixed(4), 'usearch auc': +u.auc.toFixed(4), 'Δ auc': +(u.auc - e.auc).toFixed(4),
      'exact gain': +(e.relativeGain ?? NaN).toFixed(4), 'usearch gain': +(u.relativeGain ?? NaN).toFixed(4),
      'Δ gain': +((u.relativeGain ?? NaN) - (e.relativeGain ?? NaN)).toFixed(4),
      'min recall@k': +minRecall(u.hits, e.hits).toFixed(4),
    });
  }
  curves[seed] = Object.fromEntries(MODES.map((m) => [m, { exact: exact[m].curve, usearch: approx[m].curve }]));
}

/** Mean, 95% interval and range over the seeds of one column (unrounded differences are recomputed from the rows). */
function spread(mode: SearchMode, column: string) {
  const xs = rows.filter((r) => r.mode === mode).map((r) => Number(r[column]));
  const { mean, ci95 } = meanInterval(xs);
  const f = (x: number) => x.toFixed(4);
  return `${f(mean)} [${f(ci95[0])}, ${f(ci95[1])}] (${f(Math.min(...xs))}…${f(Math.max(...xs))})`;
}
const summary = MODES.map((mode) => ({
  mode, seeds: seeds.length, 'exact auc': spread(mode, 'exact auc'), 'Δ auc': spread(mode, 'Δ auc'), 'exact gain': spread(mode, 'exact gain'),
  'Δ gain': spread(mode, 'Δ gain'), 'min recall@k': Math.min(...rows.filter((r) => r.mode === mode).map((r) => Number(r['min recall@k']))),
}));
console.log(`Fashion-MNIST, ${n} gallery images, ${queryOld.rows} queries, mAP@${K} during the backfill (waves of a tenth, seeds ${seeds.join(', ')})`);
console.table(rows);
console.log('mean [95% interval] (range) over the seeds');
console.table(summary);
console.log(`wrote ${await writeResult('backfill-index-eval', { dataset: 'fashion-mnist', gallery: n, queries: queryOld.rows, k: K, seeds, rows, summary, curves })}`);
