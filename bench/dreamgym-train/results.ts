import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createOfflineDataset, OfflineDatasetRequestSchema } from '../../core/dreamgym/offline/create-dataset.ts';
import { GrpoOptimizer, OPTIMIZER_DEFAULTS } from '../../core/dreamgym/rl/optimizer.ts';
import { OutcomeReward } from '../../core/dreamgym/rl/outcome.ts';
import { StepCreditKind } from '../../core/dreamgym/rl/step-credit.ts';
import { registerDefaultExperienceModels } from '../../core/dreamgym/train/default-experience-models.ts';
import { DreamGymTrainInputSchema } from '../../core/dreamgym/train/input.ts';
import { storeOnlyDeps } from '../../core/dreamgym/train/deps.ts';
import { runDreamGym } from '../../core/dreamgym/train/run-dreamgym.ts';
import type { DreamGymSummary } from '../../core/dreamgym/train/steps/summarize.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { methodConfigs, S2R_REAL_SHARE } from './lib/configs.ts';
import { meanCi, spread } from './lib/stats.ts';

// The DreamGym results experiment on the built-in shop:
// `node bench/dreamgym-train/results.ts [--seeds 10] [--first-seed 1] [--methods 0,1,2] [--iterations 10] [--optimizer sgd|adam]
// [--learning-rate 5] [--max-grad-norm 5] [--kl 0] [--turn-discount 1] [--step-credit 0] [--step-credit-kind value-difference|gigpo] [--outcome success|environment] [--out dreamgym-train-results.json]` (optimizer, learning rate, gradient-norm limit, KL
// coefficient, turn discount, step credit and outcome default to the run input's defaults, chosen by tune.ts on its validation range; --methods picks rows of configs.ts by index, the first must be real-env GRPO for the paired
// differences). Per method: mean success over seeds with its 95% CI, the paired per-seed difference against
// real-env GRPO with its CI, and the mean of the last 3 evaluations beside the final one.
// Per seed: a catalog, 2,000 offline trajectories (1,000 expert + 1,000 random) seeding a replay buffer per method,
// then every method of configs.ts with the built-in policy and the built-in experience model. Success is measured on
// 200 held-out real tasks. Writes bench/results/dreamgym-train-results.json.
const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '10' },
    'first-seed': { type: 'string', default: '1' },
    methods: { type: 'string' },
    iterations: { type: 'string', default: '10' },
    groups: { type: 'string', default: '16' },
    n: { type: 'string', default: '8' },
    optimizer: { type: 'string' },
    'learning-rate': { type: 'string' },
    'max-grad-norm': { type: 'string' },
    kl: { type: 'string' },
    'turn-discount': { type: 'string' },
    'step-credit': { type: 'string' },
    'step-credit-kind': { type: 'string' },
    outcome: { type: 'string' },
    out: { type: 'string', default: 'dreamgym-train-results.json' },
  },
});
// Unset flags take the run input's defaults, so the benchmark measures what a plain run does.
const defaults = DreamGymTrainInputSchema.parse({});
const builtinDefaults = defaults.policy.kind === 'builtin' ? defaults.policy : undefined;
const optimizer = z.enum(GrpoOptimizer).parse(values.optimizer ?? builtinDefaults?.optimizer);
const learningRate = Number(values['learning-rate'] ?? OPTIMIZER_DEFAULTS[optimizer].learningRate);
const maxGradNorm = Number(values['max-grad-norm'] ?? builtinDefaults?.maxGradNorm);
const klCoefficient = Number(values.kl ?? OPTIMIZER_DEFAULTS[optimizer].klCoefficient);
const turnDiscount = Number(values['turn-discount'] ?? builtinDefaults?.turnDiscount);
const stepCredit = Number(values['step-credit'] ?? builtinDefaults?.stepCredit);
const stepCreditKind = z.enum(StepCreditKind).parse(values['step-credit-kind'] ?? builtinDefaults?.stepCreditKind);
const outcome = z.enum(OutcomeReward).parse(values.outcome ?? defaults.outcome);
const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => i + Number(values['first-seed']));
const allConfigs = methodConfigs({ iterations: Number(values.iterations), groups: Number(values.groups), n: Number(values.n) });
const configs = values.methods ? values.methods.split(',').map((i) => allConfigs[Number(i)]).filter((c) => c !== undefined) : allConfigs;
if (configs[0]?.input.mode !== 'real') throw new Error('--methods must start with 0 (real-env GRPO), the baseline of the paired differences');
registerDefaultExperienceModels();

interface RunRow { method: string; seed: number; seconds: number; summary: DreamGymSummary }
const rows: RunRow[] = [];
const root = await mkdtemp(path.join(os.tmpdir(), 'reverie-dreamgym-bench-'));
try {
  for (const seed of seeds) {
    const store = new FileStore(path.join(root, `seed-${seed}`));
    const dataset = await createOfflineDataset(store, OfflineDatasetRequestSchema.parse({ expert: 1000, random: 1000, seed }));
    let realEnvInteractions = 0;
    for (const [index, config] of configs.entries()) {
      const started = performance.now();
      // S2R's real phase is capped at a tenth of what real-env GRPO measurably spent on the same seed
      const s2r = config.input.mode === 's2r' ? { s2r: { ...config.input.s2r, realBudget: Math.floor(S2R_REAL_SHARE * realEnvInteractions) } } : {};
      const summary = await runDreamGym({
        ...config.input,
        ...s2r,
        runId: `m${index}-s${seed}`,
        seed,
        shop: { seed },
        policy: { kind: 'builtin', optimizer, learningRate, maxGradNorm, klCoefficient, turnDiscount, stepCredit, stepCreditKind },
        outcome,
        experienceModel: { kind: 'builtin', options: { buffer: `bench-m${index}`, offlineDataset: dataset.id } },
      }, storeOnlyDeps(store));
      const seconds = (performance.now() - started) / 1000;
      if (index === 0) realEnvInteractions = summary.realInteractions;
      rows.push({ method: config.name, seed, seconds, summary });
      console.log(`seed ${seed} ${config.name.padEnd(31)} success ${summary.realSuccessBefore} -> ${summary.realSuccessAfter}` +
        `  real ${summary.realInteractions}  synthetic rollouts ${summary.syntheticRollouts}  ${seconds.toFixed(1)} s`);
    }
  }
} finally {
  await rm(root, { recursive: true, force: true });
}

const lastThree = (curve: readonly [number, number][]) => {
  const tail = curve.slice(-3).map(([, v]) => v);
  return tail.reduce((a, b) => a + b, 0) / tail.length;
};
/** The largest fall in held-out success between consecutive evaluations: how close a seed came to collapsing. */
const worstDrop = (curve: readonly [number, number][]) => Math.max(0, ...curve.slice(1).map(([, v], i) => curve[i][1] - v));
const baseline = new Map(rows.filter((r) => r.method === configs[0].name).map((r) => [r.seed, r.summary.realSuccessAfter ?? 0]));
const methods = configs.map((config) => {
  const mine = rows.filter((r) => r.method === config.name);
  const finals = mine.map((r) => r.summary.realSuccessAfter ?? 0);
  const paired = mine.map((r) => (r.summary.realSuccessAfter ?? 0) - baseline.get(r.seed)!);
  return {
    method: config.name,
    seeds: mine.map((r) => r.seed),
    ...meanCi(finals),
    pairedVsReal: meanCi(paired),
    lastThree: meanCi(mine.map((r) => lastThree(r.summary.curve))),
    worstDrop: spread(mine.map((r) => worstDrop(r.summary.curve))),
    realShare: mine.map((r) => r.summary.realInteractions / Math.max(1, rows.find((b) => b.method === configs[0].name && b.seed === r.seed)!.summary.realInteractions)),
    offlineInteractions: spread(mine.map((r) => r.summary.offlineInteractions)),
    evaluationInteractions: spread(mine.map((r) => r.summary.evaluationInteractions)),
    curriculumInfeasible: mine.map((r) => [r.summary.curriculumInfeasible, r.summary.curriculumVariations]),
    success: spread(mine.map((r) => r.summary.realSuccessAfter ?? 0)),
    successBefore: spread(mine.map((r) => r.summary.realSuccessBefore ?? 0)),
    realInteractions: spread(mine.map((r) => r.summary.realInteractions)),
    syntheticRollouts: spread(mine.map((r) => r.summary.syntheticRollouts)),
    seconds: spread(mine.map((r) => r.seconds)),
    perSeed: mine.map((r) => ({ seed: r.seed, success: r.summary.realSuccessAfter, realInteractions: r.summary.realInteractions,
      evaluationTasks: r.summary.evaluationTasks, realBudget: r.summary.realBudget, worstDrop: worstDrop(r.summary.curve), curve: r.summary.curve })),
  };
});
const pct = (v: number) => (100 * v).toFixed(1);
const ci = (c: { mean: number; ci95: [number, number] }) => `${pct(c.mean)} [${pct(c.ci95[0])}, ${pct(c.ci95[1])}]`;
console.table(methods.map((m) => ({
  method: m.method,
  'final success % [95% CI]': ci(m),
  'last-3 mean % [95% CI]': ci(m.lastThree),
  'paired vs real, points [95% CI]': ci(m.pairedVsReal),
  'min–max %': `${(100 * m.success.min).toFixed(0)}–${(100 * m.success.max).toFixed(0)}`,
  'worst drop between evaluations, points': `${(100 * m.worstDrop.max).toFixed(1)}`,
  'real interactions': Math.round(m.realInteractions.mean),
  'real share max %': (100 * Math.max(...m.realShare)).toFixed(1),
  'synthetic rollouts': Math.round(m.syntheticRollouts.mean),
  'wall s': +m.seconds.mean.toFixed(1),
})));

const byName = (name: string) => methods.find((m) => m.method === name);
const real = methods[0];
const dreamgym = byName('DreamGym (synthetic)');
const s2r = byName('DreamGym-S2R');
const targets = {
  worstDropMax: Math.max(...methods.map((m) => m.worstDrop.max)),
  ...(dreamgym ? {
    dreamgymOverReal: dreamgym.success.mean / real.success.mean,
    dreamgymPairedVsRealCi95: dreamgym.pairedVsReal.ci95,
    dreamgymTargetMet: dreamgym.success.mean >= 0.9 * real.success.mean,
    syntheticTenIterationSeconds: dreamgym.seconds.max,
  } : {}),
  ...(s2r ? {
    s2rRealShareMax: Math.max(...s2r.realShare),
    s2rMinusRealPoints: 100 * s2r.pairedVsReal.mean,
    s2rMinusRealPointsCi95: s2r.pairedVsReal.ci95.map((v) => 100 * v),
    s2rTargetMet: Math.max(...s2r.realShare) <= 0.1 && s2r.pairedVsReal.ci95[0] >= 0.05,
  } : {}),
};
console.log(targets);
const outDir = fileURLToPath(new URL('../results/', import.meta.url));
await mkdir(outDir, { recursive: true });
const file = path.join(outDir, values.out!);
await writeFile(file, `${JSON.stringify({
  createdAt: new Date().toISOString(),
  machine: { cpus: os.cpus().length, loadAverage: os.loadavg() },
  setup: {
    seeds, iterations: Number(values.iterations), groups: Number(values.groups), n: Number(values.n), optimizer, learningRate, maxGradNorm, klCoefficient, turnDiscount, stepCredit, stepCreditKind, outcome,
    s2r: `up to ${configs.find((c) => c.input.mode === 's2r')?.input.s2r?.realIterations ?? 0} real iterations after the synthetic ones, capped at ${S2R_REAL_SHARE} × the seed's real-env GRPO interactions`,
    offline: '1000 expert + 1000 random per seed', evalTasks: 200, experienceModel: 'builtin', policy: 'builtin',
  },
  methods, targets,
}, null, 1)}\n`);
console.log(`wrote ${file}`);
