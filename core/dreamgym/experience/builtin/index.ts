export { BuiltinExperienceModel } from './builtin-experience-model.ts';
export type { BuiltinExperienceModelOptions } from './builtin-experience-model.ts';
export { EpisodeStats } from './episode-stats.ts';
export { purchaseFeatures } from './shop/purchase-features.ts';
export type { PurchaseFeatures } from './shop/purchase-features.ts';
export { PurchaseRewardModel } from './shop/purchase-reward-model.ts';
export { ShopKnowledge } from './shop/shop-knowledge.ts';
