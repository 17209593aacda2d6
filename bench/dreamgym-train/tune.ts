import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { GrpoOptimizer } from '../../core/dreamgym/rl/optimizer.ts';
import { StepCreditKind } from '../../core/dreamgym/rl/step-credit.ts';
import { createOfflineDataset, OfflineDatasetRequestSchema } from '../../core/dreamgym/offline/create-dataset.ts';
import { registerDefaultExperienceModels } from '../../core/dreamgym/train/default-experience-models.ts';
import { storeOnlyDeps } from '../../core/dreamgym/train/deps.ts';
import { runDreamGym } from '../../core/dreamgym/train/run-dreamgym.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { methodConfigs } from './lib/configs.ts';
import { meanCi } from './lib/stats.ts';

// Picks the built-in policy's GRPO optimizer and learning rate, KL coefficient, turn discount, step credit ω (with its
// kind), ratio clip, epochs and gradient-norm limit on a validation range disjoint from everything the results benchmark
// (bench/dreamgym-train/results.ts) and `npm start` measure:
// `node bench/dreamgym-train/tune.ts [--seeds 3] [--iterations 5] [--optimizers sgd] [--learning-rates 2.5,5,10]
// [--adam-learning-rates 0.01,0.02,0.05] [--kl 0,0.1,1] [--turn-discounts 1] [--step-credit 0]
// [--step-credit-kinds value-difference] [--clips 0.2] [--epochs 4] [--max-grad-norms 5] [--methods both|real]
// [--out dreamgym-train-tune.json]` (each list flag is one axis of the grid; --learning-rates are sgd's,
// --adam-learning-rates Adam's, whose steps are in weight units).
// Validation seeds are 1001, 1002, … (the benchmark uses catalogs 1–10, `npm start` 1–3): each seed is its own shop
// catalog with its own offline data, training tasks are listed from offset 500,000 and the held-out validation tasks
// from offset 2,000,000 (the benchmark's evaluation tasks start at 1,000,000 on other catalogs). Every setting of the
// grid trains real-env GRPO and DreamGym (synthetic) (or, with --methods real, real-env GRPO only: the method whose
// runs collapse) on every validation seed. A run collapses when its held-out success falls by more than 50 points
// between two consecutive evaluations; the chosen setting is, among those with the fewest collapsed runs, the one with
// the highest mean final validation success over the methods and seeds (ties: the smaller KL, then the smaller
// learning rate, then the larger turn discount, then the smaller step credit, then the larger clip, epochs and gradient-norm
// limit, then sgd before Adam: the defaults before these axes were swept). The sweep is kept small enough for a 2-core machine: 3 seeds, 5 iterations of 16 groups × 8
// rollouts, 100 validation tasks (the benchmark runs 10 iterations and 200 tasks).
const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '3' },
    iterations: { type: 'string', default: '5' },
    groups: { type: 'string', default: '16' },
    n: { type: 'string', default: '8' },
    'eval-tasks': { type: 'string', default: '100' },
    optimizers: { type: 'string', default: 'sgd' },
    'learning-rates': { type: 'string', default: '2.5,5,10' },
    'adam-learning-rates': { type: 'string', default: '0.01,0.02,0.05' },
    'max-grad-norms': { type: 'string', default: '5' },
    kl: { type: 'string', default: '0,0.1,1' },
    'turn-discounts': { type: 'string', default: '1' },
    'step-credit': { type: 'string', default: '0' },
    'step-credit-kinds': { type: 'string', default: 'value-difference' },
    clips: { type: 'string', default: '0.2' },
    epochs: { type: 'string', default: '4' },
    methods: { type: 'string', default: 'both' },
    out: { type: 'string', default: 'dreamgym-train-tune.json' },
  },
});
const numbers = (text: string) => text.split(',').map(Number).filter((v) => Number.isFinite(v));
const VALIDATION_SEED_BASE = 1000;
const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => VALIDATION_SEED_BASE + i + 1);
const optimizers = values.optimizers!.split(',').map((name) => {
  const parsed = z.enum(GrpoOptimizer).safeParse(name);
  if (!parsed.success) throw new Error(`--optimizers: ${name} is not one of ${Object.values(GrpoOptimizer).join(', ')}`);
  return parsed.data;
});
const learningRates: Record<GrpoOptimizer, number[]> = { sgd: numbers(values['learning-rates']!), adam: numbers(values['adam-learning-rates']!) };
const maxGradNorms = numbers(values['max-grad-norms']!);
const klCoefficients = numbers(values.kl!);
const turnDiscounts = numbers(values['turn-discounts']!);
const stepCredits = numbers(values['step-credit']!);
const stepCreditKinds = values['step-credit-kinds']!.split(',').map((kind) => {
  const parsed = z.enum(StepCreditKind).safeParse(kind);
  if (!parsed.success) throw new Error(`--step-credit-kinds: ${kind} is not one of ${Object.values(StepCreditKind).join(', ')}`);
  return parsed.data;
});
const clips = numbers(values.clips!);
const epochCounts = numbers(values.epochs!);
if (values.methods !== 'both' && values.methods !== 'real') throw new Error('--methods is both or real');
const tasks = { trainOffset: 500_000, evalOffset: 2_000_000, evalCount: Number(values['eval-tasks']) };
const configs = methodConfigs({ iterations: Number(values.iterations), groups: Number(values.groups), n: Number(values.n) })
  .filter((c) => c.name === 'real-env GRPO' || (values.methods === 'both' && c.name === 'DreamGym (synthetic)'));
const settings: Setting[] = optimizers.flatMap((optimizer) => learningRates[optimizer].flatMap((learningRate) => klCoefficients.flatMap((klCoefficient) =>
  turnDiscounts.flatMap((turnDiscount) => clips.flatMap((clip) => epochCounts.flatMap((epochs) => maxGradNorms.flatMap((maxGradNorm) =>
    // ω = 0 is plain GRPO whatever the kind: one setting, not one per kind
    stepCredits.flatMap((stepCredit) => (stepCredit === 0 ? [stepCreditKinds[0]] : stepCreditKinds)
      .map((stepCreditKind) => ({ optimizer, learningRate, klCoefficient, turnDiscount, stepCredit, stepCreditKind, clip, epochs, maxGradNorm }))))))))));
/** A fall of more than this between consecutive evaluations counts as a collapse. */
const COLLAPSE = 0.5;
registerDefaultExperienceModels();

interface Setting {
  optimizer: GrpoOptimizer; learningRate: number; maxGradNorm: number; klCoefficient: number; turnDiscount: number; stepCredit: number; stepCreditKind: StepCreditKind; clip: number; epochs: number;
}
const SETTING_KEYS = ['optimizer', 'learningRate', 'maxGradNorm', 'klCoefficient', 'turnDiscount', 'stepCredit', 'stepCreditKind', 'clip', 'epochs'] as const satisfies readonly (keyof Setting)[];
const sameSetting = (a: Setting, b: Setting) => SETTING_KEYS.every((key) => a[key] === b[key]);
const describeSetting = (s: Setting) => `${s.optimizer} lr ${s.learningRate} grad-norm ${s.maxGradNorm} kl ${s.klCoefficient} γ ${s.turnDiscount} ω ${s.stepCredit}${s.stepCredit > 0 ? ` ${s.stepCreditKind}` : ''} clip ${s.clip} epochs ${s.epochs}`;
interface Cell extends Setting { method: string; seed: number; success: number; lastThree: number; worstDrop: number; curve: [number, number][] }
const cells: Cell[] = [];
const root = await mkdtemp(path.join(os.tmpdir(), 'reverie-dreamgym-tune-'));
const started = performance.now();
try {
  for (const seed of seeds) {
    const store = new FileStore(path.join(root, `seed-${seed}`));
    const dataset = await createOfflineDataset(store, OfflineDatasetRequestSchema.parse({ expert: 1000, random: 1000, seed, taskOffset: tasks.trainOffset }));
    let run = 0;
    for (const setting of settings) {
      const { optimizer, learningRate, maxGradNorm, klCoefficient, turnDiscount, stepCredit, stepCreditKind, clip, epochs } = setting;
      for (const config of configs) {
        const summary = await runDreamGym({
          ...config.input,
          runId: `v${run}-s${seed}`,
          seed,
          shop: { seed },
          tasks: { ...tasks },
          policy: { kind: 'builtin', optimizer, learningRate, maxGradNorm, klCoefficient, turnDiscount, stepCredit, stepCreditKind, clip, epochs },
          experienceModel: { kind: 'builtin', options: { buffer: `tune-${run++}`, offlineDataset: dataset.id } },
        }, storeOnlyDeps(store));
        const success = summary.realSuccessAfter ?? 0;
        const worstDrop = Math.max(0, ...summary.curve.slice(1).map(([, v], i) => summary.curve[i][1] - v));
        const tail = summary.curve.slice(-3).map(([, v]) => v);
        const lastThree = tail.reduce((a, b) => a + b, 0) / tail.length;
        cells.push({ ...setting, method: config.name, seed, success, lastThree, worstDrop, curve: summary.curve });
        console.log(`seed ${seed} ${describeSetting(setting)} ${config.name.padEnd(22)} success ${success.toFixed(3)}  worst drop ${worstDrop.toFixed(3)}`);
      }
    }
  }
} finally {
  await rm(root, { recursive: true, force: true });
}

const grid = settings.map((setting: Setting) => {
  const mine = cells.filter((c) => sameSetting(c, setting));
  const byMethod = Object.fromEntries(configs.map((config) => [config.name, meanCi(mine.filter((c) => c.method === config.name).map((c) => c.success))]));
  // the same method and seed under the grid's first setting (the baseline when it is listed first)
  const baseline = (c: Cell) => cells.find((o) => sameSetting(o, settings[0]) && o.method === c.method && o.seed === c.seed)!.success;
  return {
    ...setting, validationSuccess: meanCi(mine.map((c) => c.success)), lastThree: meanCi(mine.map((c) => c.lastThree)), byMethod,
    pairedVsFirst: meanCi(mine.map((c) => c.success - baseline(c))),
    worstDrop: Math.max(...mine.map((c) => c.worstDrop)), collapses: mine.filter((c) => c.worstDrop > COLLAPSE).length, runs: mine.length,
  };
});
const chosen = [...grid].sort((a, b) => a.collapses - b.collapses || b.validationSuccess.mean - a.validationSuccess.mean
  || a.klCoefficient - b.klCoefficient || a.learningRate - b.learningRate || b.turnDiscount - a.turnDiscount
  || a.stepCredit - b.stepCredit || b.clip - a.clip || b.epochs - a.epochs || b.maxGradNorm - a.maxGradNorm
  || Number(a.optimizer !== GrpoOptimizer.sgd) - Number(b.optimizer !== GrpoOptimizer.sgd))[0];
const pct = (v: number) => (100 * v).toFixed(1);
console.table(grid.map((g) => ({
  optimizer: g.optimizer,
  'learning rate': g.learningRate,
  'grad-norm limit': g.maxGradNorm,
  'KL β': g.klCoefficient,
  'turn γ': g.turnDiscount,
  'step credit ω': g.stepCredit > 0 ? `${g.stepCredit} ${g.stepCreditKind}` : 0,
  clip: g.clip,
  epochs: g.epochs,
  'mean validation success % [95% CI]': `${pct(g.validationSuccess.mean)} [${pct(g.validationSuccess.ci95[0])}, ${pct(g.validationSuccess.ci95[1])}]`,
  'last-3 mean %': pct(g.lastThree.mean),
  'paired vs first setting, points [95% CI]': `${pct(g.pairedVsFirst.mean)} [${pct(g.pairedVsFirst.ci95[0])}, ${pct(g.pairedVsFirst.ci95[1])}]`,
  ...Object.fromEntries(Object.entries(g.byMethod).map(([name, m]) => [`${name} %`, pct(m.mean)])),
  'worst drop between evaluations, points': pct(g.worstDrop),
  'collapses (fall > 50 points)': `${g.collapses}/${g.runs}`,
  chosen: g === chosen ? '←' : '',
})));
console.log(`chosen: ${describeSetting(chosen)} (mean validation success ${pct(chosen.validationSuccess.mean)}%)`);
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
    selection: 'fewest collapsed runs, then highest mean final validation success over the methods and all seeds; ties: smaller KL, then smaller learning rate, then larger turn discount, then smaller step credit, then larger clip, epochs and gradient-norm limit, then sgd before adam',
    collapse: `a fall of more than ${100 * COLLAPSE} points between consecutive evaluations`,
  },
  grid, chosen: { ...Object.fromEntries(SETTING_KEYS.map((key) => [key, chosen[key]])), validationSuccess: chosen.validationSuccess },
  cells,
}, null, 1)}\n`);
console.log(`wrote ${file}`);
