import type { DreamGymTrainInputRaw } from '../../../core/dreamgym/train/input.ts';

/** The methods of the results table, as run inputs (the paper's Tables 1–2 columns, plus its ablations). */
export interface MethodConfig {
  readonly name: string;
  readonly input: DreamGymTrainInputRaw;
}

/**
 * Every method gets the same rollout budget per iteration (groups × n) and the same number of training iterations;
 * S2R is the DreamGym run plus `realIterations` real ones, its real budget a tenth of the real-env baseline's.
 */
export function methodConfigs(options: { iterations: number; groups: number; n: number }): MethodConfig[] {
  const base = { iterations: options.iterations, groupsPerIteration: options.groups, rolloutsPerGroup: options.n, tasks: { evalCount: 200 } };
  return [
    { name: 'real-env GRPO', input: { ...base, mode: 'real', curriculum: { enabled: false } } },
    { name: 'DreamGym (synthetic)', input: { ...base, mode: 'synthetic' } },
    { name: 'DreamGym-S2R', input: { ...base, mode: 's2r', iterations: options.iterations + 1, s2r: { realIterations: 1 } } },
    { name: 'DreamGym w/o replay enrichment', input: { ...base, mode: 'synthetic', replay: { enrich: false } } },
    { name: 'DreamGym w/o curriculum', input: { ...base, mode: 'synthetic', curriculum: { enabled: false } } },
  ];
}
