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
