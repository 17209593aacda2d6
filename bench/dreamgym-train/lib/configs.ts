import type { DreamGymTrainInputRaw } from '../../../core/dreamgym/train/input.ts';

/** The methods of the results table, as run inputs (the paper's Tables 1–2 columns, plus its ablations). */
export interface MethodConfig {
  readonly name: string;
  readonly input: DreamGymTrainInputRaw;
}

/**
 * Every method gets the same rollout budget per iteration (groups × n) and the same number of training iterations;
 * S2R is the DreamGym run plus up to 3 real iterations, whose real interactions the caller caps with `s2r.realBudget`
 * (the results benchmark and `npm start`: 10% of the same seed's measured real-env GRPO interactions).
 */
/** Real iterations S2R may use after its synthetic ones; its budget of real interactions decides how many groups each gets. */
export const S2R_REAL_ITERATIONS = 3;

/** S2R's real budget: this share of the same seed's measured real-env GRPO interactions (the run's default share too). */
export { S2R_REAL_SHARE } from '../../../core/dreamgym/train/s2r-budget.ts';

export function methodConfigs(options: { iterations: number; groups: number; n: number }): MethodConfig[] {
  const base = { iterations: options.iterations, groupsPerIteration: options.groups, rolloutsPerGroup: options.n, tasks: { evalCount: 200 } };
  return [
    { name: 'real-env GRPO', input: { ...base, mode: 'real', curriculum: { enabled: false } } },
    { name: 'DreamGym (synthetic)', input: { ...base, mode: 'synthetic' } },
    { name: 'DreamGym-S2R', input: { ...base, mode: 's2r', iterations: options.iterations + S2R_REAL_ITERATIONS, s2r: { realIterations: S2R_REAL_ITERATIONS } } },
    { name: 'DreamGym w/o replay enrichment', input: { ...base, mode: 'synthetic', replay: { enrich: false } } },
    { name: 'DreamGym w/o curriculum', input: { ...base, mode: 'synthetic', curriculum: { enabled: false } } },
  ];
}
