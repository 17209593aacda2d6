import { INVALID_ACTION_TEXT } from '../../environment.ts';
import { renderShopView } from '../render-view.ts';
import type { ItemView, ShopView } from '../view.ts';
import type { ComposeInput, KnownTransition } from '../../environment-kind.ts';
import { Button, readShopAction, type ShopActionText } from './shop-action.ts';
import type { ShopKnowledge } from './shop-knowledge.ts';
import { normalize } from './shop-text.ts';

export interface ShopStepContext {
  readonly knowledge: ShopKnowledge;
  /** The state as text, and parsed. */
  readonly state: string;
  readonly view: ShopView;
  readonly action: string;
  readonly history: ComposeInput['history'];
  /** The task's instruction (the purchase outcome is learned from it and the item page, never the goal data). */
  readonly instruction: string;
  /** A real transition from the buffer with this very state and action, when retrieval found one. */
  readonly exact: KnownTransition | undefined;
}

export interface ComposedShopStep {
  readonly nextState: string;
  /** Undefined when the model has no way to value this purchase (no goal): the caller uses the neighbours'. */
  readonly reward: number | undefined;
  readonly done: boolean;
  readonly valid: boolean;
  readonly reasoning: string;
}

/**
 * The next `shop` state composed from what the buffer taught: validity from an identical real transition or the
 * learned validity model (an action the model calls valid but no page content supports cannot be composed, and the
 * caller answers it invalid), then the page the action leads to, filled with remembered content (an identical real transition, a seen results page or item
 * page, the results page left earlier in this episode) or composed content (the learned ranker's results, a
 * guessed item page), and the learned reward for a purchase.
 */
export function composeShopStep(context: ShopStepContext): ComposedShopStep {
  const { view, knowledge } = context;
  const action = readShopAction(context.action);
  const probability = context.exact ? (context.exact.valid ? 1 : 0) : knowledge.validity.probability(context.state, context.action);
  if (!action || probability < 0.5) {
    const why = !action ? `"${context.action}" is not search[…] or click[…]`
      : context.exact ? `a real transition showed ${context.action} is invalid here`
      : `the validity model learned from real transitions gives ${context.action} on a ${view.page} page P(valid) = ${probability.toFixed(2)}`;
    return { nextState: INVALID_ACTION_TEXT, reward: 0, done: true, valid: false, reasoning: `Invalid action: ${why}, so the episode fails.` };
  }
  const exact = context.exact?.valid ? context.exact : undefined;
  const { next, why } = exact
    ? { next: knowledge.view(exact.nextState), why: `A real transition took ${context.action} from this very state; its next state is reused.` }
    : nextView(context, view, action!);
  const nextState = exact ? exact.nextState : renderShopView(next!);
  if (next?.page !== 'done') return { nextState, reward: 0, done: false, valid: true, reasoning: why };
  const { reward, note } = purchaseReward(context, view);
  return { nextState, reward, done: true, valid: true, reasoning: `${why} ${note}`.trim() };
}

function nextView(context: ShopStepContext, view: ShopView, action: ShopActionText): { next: ShopView; why: string } {
  const { search, products } = context.knowledge;
  if (action.kind === 'search') {
    const { view: next, source } = search.results(action.keywords, 1);
    return { next, why: `Searching "${action.keywords}" opens page 1 of its results, ${describe(source)}.` };
  }
  if (action.target === Button.backToSearch) return { next: { page: 'search' }, why: 'Back to search returns to the search page.' };
  if (view.page === 'results') {
    if (action.target === Button.next || action.target === Button.prev) {
      const pageIndex = view.pageIndex + (action.target === Button.next ? 1 : -1);
      const { view: next, source } = search.results(view.query, pageIndex);
      return { next, why: `Paging to results page ${pageIndex} of "${view.query}", ${describe(source)}.` };
    }
    const line = view.results.find((r) => r.id.toLowerCase() === action.target)!;
    const { item, known } = products.item(line.id, line)!;
    const why = known
      ? `Clicking ${line.id} opens its item page, as real transitions showed it, with nothing selected yet.`
      : `Clicking ${line.id} opens its item page; no real transition opened it, so attributes come from its title and options from the most similar product seen.`;
    return { next: { page: 'item', query: view.query, item }, why };
  }
  if (view.page !== 'item') throw new Error(`unreachable: a valid click on a ${view.page} page`);
  if (action.target === Button.prev) return backToResults(context, view);
  if (action.target === Button.buyNow) {
    const { id, title, price } = view.item;
    const selected = view.item.options.flatMap((o) => (o.selected === null ? [] : [{ name: o.name, value: o.selected }]));
    return { next: { page: 'done', item: { id, title, price }, selected }, why: `Buying ${id} ends the episode with the options selected so far.` };
  }
  const dimension = view.item.options.find((o) => o.values.some((v) => normalize(v) === action.target))!;
  const value = dimension.values.find((v) => normalize(v) === action.target)!;
  const options = view.item.options.map((o) => (o === dimension ? { ...o, selected: value } : o));
  const next: ItemView = { ...view, item: { ...view.item, options } };
  return { next, why: `Clicking ${value} selects it as the ${dimension.name}; the item page stays.` };
}

/** `< prev` on an item page goes back to the results page the item was opened from, as this episode shows it. */
function backToResults(context: ShopStepContext, view: ItemView): { next: ShopView; why: string } {
  for (let i = context.history.length - 1; i >= 0; i--) {
    const earlier = context.knowledge.view(context.history[i].state);
    if (earlier?.page === 'results' && normalize(earlier.query) === normalize(view.query)) {
      return { next: earlier, why: `Going back returns to results page ${earlier.pageIndex} of "${view.query}", seen earlier in this episode.` };
    }
  }
  const { view: next, source } = context.knowledge.search.results(view.query, 1);
  return { next, why: `Going back returns to the results of "${view.query}" (page 1, not in the history), ${describe(source)}.` };
}

function purchaseReward(context: ShopStepContext, view: ShopView): { reward: number | undefined; note: string } {
  if (view.page !== 'item' || context.knowledge.outcomes.purchases === 0) return { reward: undefined, note: '' };
  const { reward, success, purchases } = context.knowledge.outcomes.predict(context.instruction, view.item);
  return { reward, note: `The outcome model learned from ${purchases} real purchases gives P(success) ${success.toFixed(2)}; reward ${reward.toFixed(2)}.` };
}

function describe(source: 'seen' | 'composed'): string {
  return source === 'seen' ? 'as real transitions showed it' : 'ranked by the search model learned from the products seen';
}
