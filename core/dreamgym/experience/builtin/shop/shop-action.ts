import { shopAdmissibleActions } from '../../../env/shop/admissible.ts';
import type { ShopGoal } from '../../../env/shop/goal.ts';
import type { ShopView } from '../../../env/shop/view.ts';
import { normalize } from './shop-text.ts';

export type ShopActionText =
  | { readonly kind: 'search'; readonly keywords: string }
  | { readonly kind: 'click'; readonly target: string };

/** The fixed buttons of the shop's pages, as they appear in the action language. */
export const Button = {
  next: 'next >',
  prev: '< prev',
  backToSearch: 'back to search',
  buyNow: 'buy now',
} as const;

const ACTION = /^\s*(search|click)\s*\[([\s\S]*)\]\s*$/i;

/** Reads `search[…]` or `click[…]`; undefined for anything else or empty brackets (an invalid action). */
export function readShopAction(text: string): ShopActionText | undefined {
  const match = ACTION.exec(text);
  if (!match) return undefined;
  const argument = normalize(match[2]);
  if (argument === '') return undefined;
  return match[1].toLowerCase() === 'search' ? { kind: 'search', keywords: argument } : { kind: 'click', target: argument };
}

const NO_GOAL: ShopGoal = { productType: 'none', attributes: [], options: {}, priceUpper: 1 };

/**
 * Whether an action is valid in a state of the shop's abstract state space: a search only on the search page (with
 * any keywords), a click only on what the page lists (`shopAdmissibleActions`), nothing once the episode is over.
 */
export function isValidShopAction(view: ShopView, action: ShopActionText | undefined): boolean {
  if (!action) return false;
  if (action.kind === 'search') return view.page === 'search';
  const clickable = shopAdmissibleActions(view, NO_GOAL).filter((a) => a.startsWith('click['));
  return clickable.some((a) => normalize(a.slice(6, -1)) === action.target);
}
