import { addLlmUsage } from '../../../core/llm/accounting.ts';
import { DreamGymTrainInputSchema, type DreamGymTrainInputRaw } from '../../../core/dreamgym/train/input.ts';
import { DreamGymSummarySchema, type DreamGymSummary } from '../../../core/dreamgym/train/steps/summarize.ts';
import type { TrainingModeResult } from '../../../core/report/report-model.ts';
import type { Part, PartContext, PartResult } from './part.ts';

/** As the results benchmark (bench/dreamgym-train/lib/configs.ts): S2R's real iterations and its cap as a share of real-env GRPO's. */
const S2R_REAL_ITERATIONS = 3;
const S2R_REAL_SHARE = 0.1;

const SCALE = {
  full: { seeds: [1, 2, 3], iterations: 10, groups: 16, rollouts: 8, evalTasks: 200 },
  quick: { seeds: [1], iterations: 2, groups: 4, rollouts: 4, evalTasks: 20 },
} as const;

/** The methods compared, as in the paper's Tables 1–2: real-env GRPO, DreamGym, S2R, and two ablations. */
const METHODS: Array<{ mode: string; label: string; input: DreamGymTrainInputRaw }> = [
  // The paper's real-environment baseline trains on the original tasks only, as the 5-seed benchmark does.
  { mode: 'real', label: 'real-env GRPO', input: { mode: 'real', curriculum: { enabled: false } } },
  { mode: 'synthetic', label: 'DreamGym (synthetic only)', input: { mode: 'synthetic' } },
  // S2R: the synthetic iterations, then up to 3 real ones capped at 10% of the seed's real-env GRPO interactions
  { mode: 's2r', label: 'DreamGym-S2R', input: { mode: 's2r' } },
  { mode: 'synthetic-no-replay', label: 'DreamGym w/o replay enrichment', input: { mode: 'synthetic', replay: { enrich: false } } },
  { mode: 'synthetic-no-curriculum', label: 'DreamGym w/o curriculum', input: { mode: 'synthetic', curriculum: { enabled: false } } },
];

/**
 * DreamGym on `shop` with the built-in policy and experience model: every method for 3 seeds through the
 * `dreamgym-train` workflow, success on held-out real tasks per iteration, real interactions counted. A seed sets the
 * shop catalog too (and so the offline data the experience model learns from), not only the sampling.
 */
export const dreamgymPart: Part = {
  name: 'dreamgym',
  title: 'DreamGym: real-env GRPO vs synthetic vs S2R (shop)',
  async run(context: PartContext): Promise<PartResult> {
    const { seeds, iterations, groups, rollouts, evalTasks } = SCALE[context.scale];
    const engine = await context.runtime.engine();
    const stamp = Date.now().toString(36);
    const progress = context.progress('training runs');
    const total = METHODS.length * seeds.length;
    let done = 0;
    const modes: TrainingModeResult[] = [];
    const realEnv = new Map<number, number>();
    const everySummary: DreamGymSummary[] = [];
    for (const method of METHODS) {
      const summaries: DreamGymSummary[] = [];
      for (const seed of seeds) {
        progress.update(done, total, `${method.label}, seed ${seed}`);
        // The seed picks the catalog too (and with it the default offline data and replay buffer of that catalog).
        const s2r = method.mode === 's2r'
          ? { iterations: iterations + S2R_REAL_ITERATIONS, s2r: { realIterations: S2R_REAL_ITERATIONS, realBudget: Math.floor(S2R_REAL_SHARE * (realEnv.get(seed) ?? 0)) } }
          : {};
        const input = DreamGymTrainInputSchema.parse({
          ...method.input, iterations, groupsPerIteration: groups, rolloutsPerGroup: rollouts, seed, shop: { seed },
          tasks: { evalCount: evalTasks }, runId: `start-${stamp}-${method.mode}-s${seed}`, ...s2r,
        });
        const record = await engine.wait((await engine.start('dreamgym-train', input)).id);
        if (record.status !== 'SUCCEEDED') throw new Error(`dreamgym-train ${method.mode} seed ${seed} ${record.status}: ${record.error?.cause ?? ''}`);
        const summary = DreamGymSummarySchema.parse(record.output);
        if (method.mode === 'real') realEnv.set(seed, summary.realInteractions);
        summaries.push(summary);
        everySummary.push(summary);
        done++;
      }
      modes.push(aggregate(method.mode, method.label, summaries));
    }
    progress.done();
    const real = modes.find((m) => m.mode === 'real')!;
    const row = (m: TrainingModeResult): [string, string] => [
      `dreamgym: ${m.label}`,
      `${pct(m.realSuccessAfter)} ± ${pct(m.realSuccessSpread)} success over ${m.seeds} seed${m.seeds === 1 ? '' : 's'} (the ≥ 10-seed comparison with ` +
        `intervals is \`npm run bench -- dreamgym-train/results\`), ${Math.round(m.realInteractions)} real interactions measured at the boundary ` +
        `(${(m.realInteractions / Math.max(1, real.realInteractions) * 100).toFixed(1)}% of real-env GRPO)`,
    ];
    return {
      llm: addLlmUsage(...everySummary.map((s) => s.llm)),
      report: { dreamgym: { env: 'shop', iterations: iterations, modes } },
      datasets: [],
      summary: modes.map(row),
      seeds: Object.fromEntries(seeds.map((s) => [`dreamgym-${s}`, s])),
    };
  },
};

/** Mean and standard deviation across seeds, per iteration. */
function aggregate(mode: string, label: string, runs: DreamGymSummary[]): TrainingModeResult {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
  const after = runs.map((r) => r.realSuccessAfter ?? 0);
  const points = runs[0].curve.map(([iteration], i) => ({ iteration, values: runs.map((r) => r.curve[i]?.[1] ?? 0) }));
  return {
    mode, label, seeds: runs.length,
    syntheticRollouts: mean(runs.map((r) => r.syntheticRollouts)),
    realInteractions: mean(runs.map((r) => r.realInteractions)),
    realSuccessBefore: mean(runs.map((r) => r.realSuccessBefore ?? 0)),
    realSuccessAfter: mean(after),
    realSuccessSpread: sd(after),
    curve: points.map((p) => [p.iteration, mean(p.values)]),
    curveSpread: points.map((p) => sd(p.values)),
  };
}

function pct(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}
