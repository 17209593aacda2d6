/**
 * Fashion-MNIST's backfill curve through the vector-index search, exact and usearch side by side: the gallery is
 * backfilled in waves of a tenth (the seeded random order of `backfill eval`), each wave applied to both sets of
 * indexes the way a committed shard is (`applyBackfillWave`), and after each wave every query runs the merged
 * search (rank-merge, rt-merge with the trained ψ) on each set. An index returns a top-k, not a ranking of the whole
 * gallery, so the score is mAP@k (AP over the top k, divided by min(k, relevant items)) for both: the comparison
 * isolates the index. AUC and relative gain as in `backfill eval`, the old and new scores being the curve's ends.
 *
 *   npm run bench -- backfill/index-eval              # 19,600 gallery images, 1,400 queries, k = 100
 *   npm run bench -- backfill/index-eval --queries 300 --k 50
 */
import { parseArgs } from 'node:util';
import { loadBuiltinDataset } from '../../core/backfill/datasets/builtin.ts';
import { subsetImages } from '../../core/backfill/datasets/image-set.ts';
import { splitImageSet } from '../../core/backfill/datasets/split.ts';
import { OnnxEmbedder } from '../../core/backfill/embedder.ts';
import { backfillOrder, backfilledCount, DEFAULT_FRACTIONS } from '../../core/backfill/eval/backfill-order.ts';
import { summarizeCurve, type CurvePoint } from '../../core/backfill/eval/curve-summary.ts';
import { builtinModelFiles } from '../../core/backfill/eval/evaluate-builtin.ts';
import { selectRows, type FeatureMatrix } from '../../core/backfill/features.ts';
import { OnnxTransform } from '../../core/backfill/reverse-transform/onnx-transform.ts';
import { applyBackfillWave, createBackfillIndexes, type BackfillIndexes } from '../../core/backfill/search/index/backfill-indexes.ts';
import { exactIndexFactory } from '../../core/backfill/search/index/exact-index.ts';
import { searchBackfillIndexes } from '../../core/backfill/search/index/index-merged-search.ts';
import { usearchIndexFactory } from '../../core/backfill/search/index/usearch-index.ts';
import type { MergedHit } from '../../core/backfill/search/merged-search.ts';
import { writeResult } from '../backfill-pipeline/table.ts';

const { values } = parseArgs({ options: { queries: { type: 'string' }, k: { type: 'string', default: '100' }, seed: { type: 'string', default: '1' } } });
const K = Number(values.k), seed = Number(values.seed);
const MODES = ['rank-merge', 'rt-merge'] as const;

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
const n = galleryOld.rows, labels = galleryImages.labels, queryLabels = queryImages.labels;
const relevant = new Map<number, number>();
for (const l of labels) relevant.set(l, (relevant.get(l) ?? 0) + 1);
console.error(`embedded ${n} gallery images and ${queryOld.rows} queries`);

function apAtK(hits: readonly MergedHit[], label: number): number {
  let found = 0, sum = 0;
  hits.forEach((h, r) => {
    if (labels[h.index] === label) sum += ++found / (r + 1);
  });
  return sum / Math.min(K, relevant.get(label) ?? 0);
}

const order = backfillOrder(n, seed);
const kinds = { exact: exactIndexFactory, usearch: usearchIndexFactory({ addThreads: 2 }) } as const;
const sets: Record<string, BackfillIndexes> = {};
for (const [name, factory] of Object.entries(kinds)) {
  const indexes = await createBackfillIndexes(factory, `fmnist-${name}`, galleryOld.dim, galleryNew.dim);
  await indexes.oldRemaining.add(Int32Array.from({ length: n }, (_, i) => i), galleryOld);
  sets[name] = indexes;
}
const curves: Record<string, Record<string, CurvePoint[]>> = { exact: { 'rank-merge': [], 'rt-merge': [] }, usearch: { 'rank-merge': [], 'rt-merge': [] } };
const recall: Record<string, number[]> = { 'rank-merge': [], 'rt-merge': [] };
let done = 0;
for (const fraction of DEFAULT_FRACTIONS) {
  const count = backfilledCount(n, fraction);
  const wave = Int32Array.from(order.subarray(done, count));
  done = count;
  for (const indexes of Object.values(sets)) {
    if (wave.length) await applyBackfillWave(indexes, wave, selectRows(galleryOld, Array.from(wave)), selectRows(galleryNew, Array.from(wave)));
  }
  for (const mode of MODES) {
    const hits: Record<string, MergedHit[][]> = {};
    for (const [name, indexes] of Object.entries(sets)) {
      const rows: MergedHit[][] = [];
      for (let q = 0; q < queryOld.rows; q++) {
        const one = { old: selectRows(queryOld, [q]), new: selectRows(queryNew, [q]), psi: selectRows(psi, [q]) };
        rows.push((await searchBackfillIndexes(mode, one, indexes, K))[0]);
      }
      hits[name] = rows;
      const aps = rows.map((r, q) => apAtK(r, queryLabels[q]));
      const top1 = rows.filter((r, q) => r[0] && labels[r[0].index] === queryLabels[q]).length / rows.length;
      curves[name][mode].push([fraction, aps.reduce((a, b) => a + b, 0) / aps.length, top1]);
    }
    let same = 0;
    hits.usearch.forEach((r, q) => {
      const want = new Set(hits.exact[q].map((h) => h.index));
      same += r.filter((h) => want.has(h.index)).length;
    });
    recall[mode].push(same / (hits.exact.length * K));
  }
  console.error(`fraction ${fraction}: ${done} backfilled`);
}

const rows = MODES.flatMap((mode) => {
  const summary = (name: string) => {
    const curve = curves[name][mode];
    // the old model alone (nothing backfilled) and the new one alone (everything backfilled), as in `backfill eval`
    return summarizeCurve(curve, curve[0][1], curve[curve.length - 1][1]);
  };
  const exact = summary('exact'), approx = summary('usearch');
  return [{
    mode, k: K, 'exact auc': +exact.auc.toFixed(4), 'usearch auc': +approx.auc.toFixed(4), 'Δ auc': +(approx.auc - exact.auc).toFixed(4),
    'exact gain': +(exact.relativeGain ?? NaN).toFixed(4), 'usearch gain': +(approx.relativeGain ?? NaN).toFixed(4),
    'Δ gain': +((approx.relativeGain ?? NaN) - (exact.relativeGain ?? NaN)).toFixed(4),
    'min recall@k': +Math.min(...recall[mode]).toFixed(4),
  }];
});
console.log(`Fashion-MNIST, ${n} gallery images, ${queryOld.rows} queries, mAP@${K} during the backfill (waves of a tenth, seed ${seed})`);
console.table(rows);
console.log(`wrote ${await writeResult('backfill-index-eval', { dataset: 'fashion-mnist', gallery: n, queries: queryOld.rows, k: K, seed, rows, curves, recall })}`);
