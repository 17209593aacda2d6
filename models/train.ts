import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BUILTIN_DATASETS, isBuiltinDataset, type BuiltinDatasetName } from '../core/backfill/datasets/builtin.ts';
import { modelCards } from './training/card.ts';
import { TRAINING_CONFIG } from './training/config.ts';
import { trainDataset } from './training/pipeline.ts';
import { initTensorflow } from './training/tf-backend.ts';

// Trains the committed backfill models: `node models/train.ts [--dataset fashion-mnist|mnist|all] [--out models]`.
const { values } = parseArgs({ options: { dataset: { type: 'string', default: 'all' }, out: { type: 'string' } } });
const names = values.dataset === 'all' ? (Object.keys(BUILTIN_DATASETS) as BuiltinDatasetName[]) : [values.dataset!];
for (const name of names) {
  if (!isBuiltinDataset(name)) {
    console.error(`unknown dataset "${name}"; use ${Object.keys(BUILTIN_DATASETS).join(', ')} or all`);
    process.exit(2);
  }
}
const outDir = values.out ?? path.dirname(fileURLToPath(import.meta.url));
const started = performance.now();
const log = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${line}`);
await initTensorflow();
for (const dataset of names as BuiltinDatasetName[]) {
  const trained = await trainDataset(dataset, outDir, log);
  const cards = modelCards(trained);
  for (const [model, text] of Object.entries(cards)) await writeFile(path.join(outDir, dataset, `${model}.md`), text);
  const { report, ...rest } = trained;
  await writeFile(path.join(outDir, dataset, 'metrics.json'), JSON.stringify({ config: TRAINING_CONFIG, ...rest, report }, null, 1) + '\n');
  log(`${dataset}: old mAP ${report.mAP.old.toFixed(4)}, new mAP ${report.mAP.new.toFixed(4)}, rt-merge gain ${report.modes['rt-merge']?.relativeGain?.toFixed(3)}`);
}
log('done');
