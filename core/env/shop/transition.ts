import { parseShopAction, ShopButton } from './actions.ts';
import { productOf } from './build-view.ts';
import type { ShopTask } from './goal.ts';
import { shopReward } from './reward.ts';
import type { ShopRewardParts } from './reward.ts';
import type { ShopEpisodeState } from './snapshot.ts';
import { normalizeText } from '../tokenize.ts';
import { resultsPage } from './world.ts';
import type { ShopWorld } from './world.ts';

export interface ShopTransition {
  readonly state: ShopEpisodeState;
  readonly valid: boolean;
  readonly reward?: ShopRewardParts;
}

/**
 * WebShop's page rules as a pure function: the state after `action`, or the failure state when the action cannot be
 * parsed or is not available on the current page. It does not count steps; the episode does.
 */
export function shopTransition(
  world: ShopWorld,
  task: ShopTask,
  state: ShopEpisodeState,
  action: string,
): ShopTransition {
  const invalid = (): ShopTransition => ({ state: { ...state, page: 'failed', done: true, reward: 0 }, valid: false });
  const parsed = parseShopAction(action);
  if (!parsed) return invalid();
  if (parsed.kind === 'search') {
    if (state.page !== 'search') return invalid();
    const next = { ...state, page: 'results', query: parsed.keywords, pageIndex: 1, itemId: '', selected: {} } as const;
    return { state: next, valid: true };
  }
  const target = parsed.target;
  if (target === ShopButton.backToSearch && (state.page === 'results' || state.page === 'item')) {
    return { state: { ...state, page: 'search', query: '', pageIndex: 1, itemId: '', selected: {} }, valid: true };
  }
  if (state.page === 'results') {
    const { pageCount, visible } = resultsPage(world, state.query, state.pageIndex);
    if (target === ShopButton.next && state.pageIndex < pageCount) {
      return { state: { ...state, pageIndex: state.pageIndex + 1 }, valid: true };
    }
    if (target === ShopButton.prev && state.pageIndex > 1) {
      return { state: { ...state, pageIndex: state.pageIndex - 1 }, valid: true };
    }
    for (const index of visible) {
      const product = world.catalog.products[index];
      if (product.id.toLowerCase() === target) {
        return { state: { ...state, page: 'item', itemId: product.id, selected: {} }, valid: true };
      }
    }
    return invalid();
  }
  if (state.page === 'item') {
    if (target === ShopButton.prev) {
      return { state: { ...state, page: 'results', itemId: '', selected: {} }, valid: true };
    }
    const product = productOf(world, state.itemId);
    if (target === ShopButton.buyNow) {
      const reward = shopReward(world.catalog, product, state.selected, task.goal);
      return { state: { ...state, page: 'done', done: true, reward: reward.reward }, valid: true, reward };
    }
    for (const [name, values] of Object.entries(product.options)) {
      const value = values.find((v) => normalizeText(v) === target);
      if (value !== undefined) {
        return { state: { ...state, selected: { ...state.selected, [name]: value } }, valid: true };
      }
    }
  }
  return invalid();
}
