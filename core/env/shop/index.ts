export { parseShopAction, searchCandidates, ShopButton } from './actions.ts';
export type { ShopAction } from './actions.ts';
export { shopAdmissibleActions } from './admissible.ts';
export { generateShopCatalog } from './catalog.ts';
export type { CatalogOptions, Product, ShopCatalog } from './catalog.ts';
export { ShopEpisode } from './episode.ts';
export { createShopExpert } from './expert.ts';
export type { ShopExpertOptions } from './expert.ts';
export {
  findSatisfyingProducts, productSatisfiesGoal, ShopGoalSchema, ShopTaskSchema, validateShopGoal,
} from './goal.ts';
export type { ShopGoal, ShopTask } from './goal.ts';
export { describeShopGoal, goalKey } from './instruction.ts';
export { parseShopView, tryParseShopView } from './parse-view.ts';
export { PRODUCT_TYPES } from './product-types.ts';
export type { ProductType } from './product-types.ts';
export { renderShopView } from './render-view.ts';
export { productTypeFactor, shopReward } from './reward.ts';
export type { ShopRewardParts } from './reward.ts';
export { createShopEnvironment } from './shop-environment.ts';
export type { ShopEnvironment, ShopEnvironmentOptions } from './shop-environment.ts';
export { ShopSnapshotSchema } from './snapshot.ts';
export type { ShopEpisodeState, ShopSnapshot } from './snapshot.ts';
export { buildShopTask, generateShopTask, shopTasks } from './tasks.ts';
export { ShopPage } from './view.ts';
export type {
  DoneView, FailedView, ItemView, ResultsView, SearchView, ShopItemOption, ShopResultLine, ShopView,
} from './view.ts';
export type { ShopWorld } from './world.ts';
