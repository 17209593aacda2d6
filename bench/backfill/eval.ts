import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BUILTIN_DATASETS, isBuiltinDataset, type BuiltinDatasetName } from '../../core/backfill/datasets/builtin.ts';
import { evaluateBuiltinBackfill, type BuiltinReport } from '../../core/backfill/eval/evaluate-builtin.ts';
import { worstShare } from '../../core/backfill/eval/query-flips.ts';
import { measureInference, type InferenceFigures } from './inference-throughput.ts';
import { measureSearchLatency, type SearchLatencyFigures } from './search-latency.ts';

// Backfill evaluation benchmark: `node bench/backfill/eval.ts [--dataset fashion-mnist|mnist|all] [--skip-perf] [--skip-eval]`.
// Prints a table per dataset and writes bench/results/backfill-eval.json.
const { values } = parseArgs({
  options: { dataset: { type: 'string', default: 'all' }, 'skip-perf': { type: 'boolean', default: false }, 'skip-eval': { type: 'boolean', default: false } },
});
const names = (values.dataset === 'all' ? Object.keys(BUILTIN_DATASETS) : [values.dataset!]) as string[];
const unknown = names.find((n) => !isBuiltinDataset(n));
if (unknown) throw new Error(`unknown dataset "${unknown}"; use ${Object.keys(BUILTIN_DATASETS).join(', ')} or all`);

const reports: BuiltinReport[] = [];
for (const dataset of values['skip-eval'] ? [] : (names as BuiltinDatasetName[])) {
  const report = await evaluateBuiltinBackfill(dataset, { onlinePsi: ['procrustes', 'least-squares'] });
  reports.push(report);
  printReport(report);
}
let inference: InferenceFigures | undefined;
let search: SearchLatencyFigures | undefined;
if (!values['skip-perf']) {
  inference = await measureInference('fashion-mnist');
  console.log(`\ninference (fashion-mnist new model, ${inference.images} images, batch ${inference.batchSize}):`);
  console.table(inference.rows);
  search = await measureSearchLatency('fashion-mnist');
  console.log(`\nsearch over the full ${search.gallerySize}-image gallery, k=${search.k}, ${search.queries} queries, ${search.backfilledFraction * 100}% backfilled:`);
  console.table(search.rows);
}

const outDir = fileURLToPath(new URL('../results/', import.meta.url));
await mkdir(outDir, { recursive: true });
const file = path.join(outDir, 'backfill-eval.json');
await writeFile(file, JSON.stringify({ createdAt: new Date().toISOString(), reports, inference, search }, null, 1) + '\n');
console.log(`\nwrote ${file}`);

function printReport(r: BuiltinReport): void {
  console.log(`\n${r.dataset}: gallery ${r.gallerySize}, queries ${r.queryCount}; embed ${(r.timingsMs.embed / 1000).toFixed(1)} s, evaluate ${(r.timingsMs.evaluate / 1000).toFixed(1)} s`);
  console.log(`  mAP old ${r.mAP.old.toFixed(4)}  new ${r.mAP.new.toFixed(4)}  (gain ${(r.mAP.new - r.mAP.old).toFixed(4)});  top-1 old ${r.top1.old.toFixed(4)}  new ${r.top1.new.toFixed(4)}`);
  console.table(Object.fromEntries(Object.entries(r.modes).map(([mode, s]) => [mode, {
    auc: +s.auc.toFixed(4),
    relativeGain: s.relativeGain === null ? null : +s.relativeGain.toFixed(3) || 0,
    'points < old mAP': s.negativeFlips,
    'top-1 flips max %': +(worstShare(s.queryFlipRate.top1) * 100).toFixed(1),
    'AP drops max %': +(worstShare(s.queryFlipRate.ap) * 100).toFixed(1),
    'mAP@0%': +s.curve[0][1].toFixed(4),
    'mAP@50%': +s.curve[Math.floor(s.curve.length / 2)][1].toFixed(4),
    'mAP@100%': +s.curve[s.curve.length - 1][1].toFixed(4),
  }])));
}
