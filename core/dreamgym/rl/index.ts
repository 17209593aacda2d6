export { grpoAdvantages, rewardVariance } from './advantages.ts';
export { grpoUpdate } from './grpo-update.ts';
export type { GrpoOptions, GrpoStats } from './grpo-update.ts';
export { OutcomeReward, outcomeReward } from './outcome.ts';
