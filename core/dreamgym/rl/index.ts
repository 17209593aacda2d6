export { grpoAdvantages, rewardVariance } from './advantages.ts';
export { grpoUpdate } from './grpo-update.ts';
export type { GrpoOptions, GrpoStats } from './grpo-update.ts';
export { OutcomeReward, outcomeReward } from './outcome.ts';
export { StepCreditKind, stepAdvantages } from './step-credit.ts';
export type { CreditEpisode, StepCreditOptions } from './step-credit.ts';
export { DEFAULT_OPTIMIZER, GrpoOptimizer, OPTIMIZER_DEFAULTS } from './optimizer.ts';
