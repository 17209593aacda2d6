import { ShopGoalSchema, type ShopGoal } from '../goal.ts';
import { tryParseShopView } from '../parse-view.ts';
import type { ShopView } from '../view.ts';
import type { KnownTransition } from '../../environment-kind.ts';
import { Button, readShopAction } from './shop-action.ts';
import { ProductMemory } from './product-memory.ts';
import { ValidityModel } from './validity-model.ts';
import { PurchaseOutcomeModel } from './purchase-outcome-model.ts';
import { SearchMemory } from './search-memory.ts';

const PARSE_CACHE_LIMIT = 50_000;

/**
 * Everything the built-in model learns about `shop` from real transitions: products (results lines and item
 * pages), results pages by query, which actions are valid where, and the outcome of purchases. It reads states in
 * the shop's text format only; nothing here touches the environment's catalog, search engine, rules or reward.
 */
export class ShopKnowledge {
  readonly products = new ProductMemory();
  readonly search = new SearchMemory(this.products);
  readonly validity = new ValidityModel();
  readonly outcomes = new PurchaseOutcomeModel();
  private parsed = new Map<string, ShopView | null>();

  learn(transition: KnownTransition): void {
    const state = this.view(transition.state);
    const next = this.view(transition.nextState);
    for (const view of [state, next]) {
      if (view?.page === 'item') this.products.learnItem(view.item);
      if (view?.page === 'results') {
        for (const line of view.results) this.products.learnLine(line);
        this.search.learn(view);
      }
    }
    if (state) this.validity.learn(transition.state, transition.action, transition.valid);
    const action = readShopAction(transition.action);
    const bought = action?.kind === 'click' && action.target === Button.buyNow;
    if (bought && transition.valid && state?.page === 'item' && next?.page === 'done') {
      this.outcomes.learn(transition.instruction, state.item, transition.reward);
    }
  }

  /** A parsed state, remembered because offline data repeats states a lot. */
  view(text: string): ShopView | undefined {
    const hit = this.parsed.get(text);
    if (hit !== undefined) return hit ?? undefined;
    if (this.parsed.size >= PARSE_CACHE_LIMIT) this.parsed = new Map();
    const view = tryParseShopView(text);
    this.parsed.set(text, view ?? null);
    return view;
  }
}

/** The task's goal when it is a shop goal; undefined otherwise (then purchases get the neighbours' reward). */
export function readGoal(goal: unknown): ShopGoal | undefined {
  const parsed = ShopGoalSchema.safeParse(goal);
  return parsed.success ? parsed.data : undefined;
}
