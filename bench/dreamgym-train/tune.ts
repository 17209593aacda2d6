import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createOfflineDataset, OfflineDatasetRequestSchema } from '../../core/dreamgym/offline/create-dataset.ts';
import { registerDefaultExperienceModels } from '../../core/dreamgym/train/default-experience-models.ts';
import { storeOnlyDeps } from '../../core/dreamgym/train/deps.ts';
import { runDreamGym } from '../../core/dreamgym/train/run-dreamgym.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { methodConfigs } from './lib/configs.ts';
import { meanCi } from './lib/stats.ts';

// Picks the built-in policy's GRPO learning rate, KL coefficient and turn discount on a validation range disjoint
// from everything the results benchmark (bench/dreamgym-train/results.ts) and `npm start` measure:
// `node bench/dreamgym-train/tune.ts [--seeds 3] [--iterations 5] [--learning-rates 2.5,5,10] [--kl 0,0.1,1]
// [--turn-discounts 1] [--methods both|real] [--out dreamgym-train-tune.json]`.
// Validation seeds are 1001, 1002, … (the benchmark uses catalogs 1–10, `npm start` 1–3): each seed is its own shop
// catalog with its own offline data, training tasks are listed from offset 500,000 and the held-out validation tasks
// from offset 2,000,000 (the benchmark's evaluation tasks start at 1,000,000 on other catalogs). Every setting of the
// grid trains real-env GRPO and DreamGym (synthetic) (or, with --methods real, real-env GRPO only: the method whose
// runs collapse) on every validation seed. A run collapses when its held-out success falls by more than 50 points
// between two consecutive evaluations; the chosen setting is, among those with the fewest collapsed runs, the one with
// the highest mean final validation success over the methods and seeds (ties: the smaller KL, then the smaller
// learning rate, then the larger turn discount). The sweep is kept small enough for a 2-core machine: 3 seeds, 5 iterations of 16 groups × 8
// rollouts, 100 validation tasks (the benchmark runs 10 iterations and 200 tasks).
const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '3' },
    iterations: { type: 'string', default: '5' },
    groups: { type: 'string', default: '16' },
    n: { type: 'string', default: '8' },
    'eval-tasks': { type: 'string', default: '100' },
    'learning-rates': { type: 'string', default: '2.5,5,10' },
    kl: { type: 'string', default: '0,0.1,1' },
    'turn-discounts': { type: 'string', default: '1' },
    methods: { type: 'string', default: 'both' },
    out: { type: 'string', default: 'dreamgym-train-tune.json' },
  },
});
const numbers = (text: string) => text.split(',').map(Number).filter((v) => Number.isFinite(v));
const VALIDATION_SEED_BASE = 1000;
const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => VALIDATION_SEED_BASE + i + 1);
const learningRates = numbers(values['learning-rates']!);
const klCoefficients = numbers(values.kl!);
const turnDiscounts = numbers(values['turn-discounts']!);
if (values.methods !== 'both' && values.methods !== 'real') throw new Error('--methods is both or real');
const tasks = { trainOffset: 500_000, evalOffset: 2_000_000, evalCount: Number(values['eval-tasks']) };
const configs = methodConfigs({ iterations: Number(values.iterations), groups: Number(values.groups), n: Number(values.n) })
  .filter((c) => c.name === 'real-env GRPO' || (values.methods === 'both' && c.name === 'DreamGym (synthetic)'));
const settings = learningRates.flatMap((learningRate) => klCoefficients.flatMap((klCoefficient) =>
  turnDiscounts.map((turnDiscount) => ({ learningRate, klCoefficient, turnDiscount }))));
/** A fall of more than this between consecutive evaluations counts as a collapse. */
const COLLAPSE = 0.5;
registerDefaultExperienceModels();

interface Setting { learningRate: number; klCoefficient: number; turnDiscount: number }
interface Cell extends Setting { method: string; seed: number; success: number; lastThree: number; worstDrop: number; curve: [number, number][] }
const cells: Cell[] = [];
const root = await mkdtemp(path.join(os.tmpdir(), 'reverie-dreamgym-tune-'));
const started = performance.now();
try {
  for (const seed of seeds) {
    const store = new FileStore(path.join(root, `seed-${seed}`));
    const dataset = await createOfflineDataset(store, OfflineDatasetRequestSchema.parse({ expert: 1000, random: 1000, seed, taskOffset: tasks.trainOffset }));
    let run = 0;
    for (const { learningRate, klCoefficient, turnDiscount } of settings) {
      for (const config of configs) {
        const summary = await runDreamGym({
          ...config.input,
          runId: `v${run}-s${seed}`,
          seed,
          shop: { seed },
          tasks: { ...tasks },
          policy: { kind: 'builtin', learningRate, klCoefficient, turnDiscount },
          experienceModel: { kind: 'builtin', options: { buffer: `tune-${run++}`, offlineDataset: dataset.id } },
        }, storeOnlyDeps(store));
        const success = summary.realSuccessAfter ?? 0;
        const worstDrop = Math.max(0, ...summary.curve.slice(1).map(([, v], i) => summary.curve[i][1] - v));
        const tail = summary.curve.slice(-3).map(([, v]) => v);
        const lastThree = tail.reduce((a, b) => a + b, 0) / tail.length;
        cells.push({ learningRate, klCoefficient, turnDiscount, method: config.name, seed, success, lastThree, worstDrop, curve: summary.curve });
        console.log(`seed ${seed} lr ${learningRate} kl ${klCoefficient} γ ${turnDiscount} ${config.name.padEnd(22)} success ${success.toFixed(3)}  worst drop ${worstDrop.toFixed(3)}`);
      }
    }
  }
} finally {
  await rm(root, { recursive: true, force: true });
}

const grid = settings.map((setting: Setting) => {
  const mine = cells.filter((c) => c.learningRate === setting.learningRate && c.klCoefficient === setting.klCoefficient && c.turnDiscount === setting.turnDiscount);
  const byMethod = Object.fromEntries(configs.map((config) => [config.name, meanCi(mine.filter((c) => c.method === config.name).map((c) => c.success))]));
  return {
    ...setting, validationSuccess: meanCi(mine.map((c) => c.success)), lastThree: meanCi(mine.map((c) => c.lastThree)), byMethod,
    worstDrop: Math.max(...mine.map((c) => c.worstDrop)), collapses: mine.filter((c) => c.worstDrop > COLLAPSE).length, runs: mine.length,
  };
});
const chosen = [...grid].sort((a, b) => a.collapses - b.collapses || b.validationSuccess.mean - a.validationSuccess.mean
  || a.klCoefficient - b.klCoefficient || a.learningRate - b.learningRate || b.turnDiscount - a.turnDiscount)[0];
const pct = (v: number) => (100 * v).toFixed(1);
console.table(grid.map((g) => ({
  'learning rate': g.learningRate,
  'KL β': g.klCoefficient,
  'turn γ': g.turnDiscount,
  'mean validation success % [95% CI]': `${pct(g.validationSuccess.mean)} [${pct(g.validationSuccess.ci95[0])}, ${pct(g.validationSuccess.ci95[1])}]`,
  'last-3 mean %': pct(g.lastThree.mean),
  ...Object.fromEntries(Object.entries(g.byMethod).map(([name, m]) => [`${name} %`, pct(m.mean)])),
  'worst drop between evaluations, points': pct(g.worstDrop),
  'collapses (fall > 50 points)': `${g.collapses}/${g.runs}`,
  chosen: g === chosen ? '←' : '',
})));
console.log(`chosen: learning rate ${chosen.learningRate}, KL coefficient ${chosen.klCoefficient}, turn discount ${chosen.turnDiscount} (mean validation success ${pct(chosen.validationSuccess.mean)}%)`);
const outDir = fileURLToPath(new URL('../results/', import.meta.url));
await mkdir(outDir, { recursive: true });
const file = path.join(outDir, values.out!);
await writeFile(file, `${JSON.stringify({
  createdAt: new Date().toISOString(),
  machine: { cpus: os.cpus().length, loadAverage: os.loadavg() },
  seconds: (performance.now() - started) / 1000,
  setup: {
    validationSeeds: seeds, iterations: Number(values.iterations), groups: Number(values.groups), n: Number(values.n), tasks,
    methods: configs.map((c) => c.name), offline: '1000 expert + 1000 random per seed',
    selection: 'fewest collapsed runs, then highest mean final validation success over the methods and all seeds; ties: smaller KL, then smaller learning rate, then larger turn discount',
    collapse: `a fall of more than ${100 * COLLAPSE} points between consecutive evaluations`,
  },
  grid, chosen: { learningRate: chosen.learningRate, klCoefficient: chosen.klCoefficient, turnDiscount: chosen.turnDiscount, validationSuccess: chosen.validationSuccess },
  cells,
}, null, 1)}\n`);
console.log(`wrote ${file}`);
