import { normalizeText } from '../tokenize.ts';
import type { ShopGoal } from './goal.ts';

/** The fixed click targets of WebShop's pages. */
export const ShopButton = {
  next: 'next >',
  prev: '< prev',
  backToSearch: 'back to search',
  buyNow: 'buy now',
} as const;
export type ShopButton = (typeof ShopButton)[keyof typeof ShopButton];

export type ShopAction =
  | { readonly kind: 'search'; readonly keywords: string }
  | { readonly kind: 'click'; readonly target: string };

const ACTION_PATTERN = /^\s*(search|click)\s*\[([\s\S]*)\]\s*$/i;

/**
 * Parses `search[keywords]` or `click[target]` (case-insensitive, whitespace normalised); undefined when the text is
 * neither or the brackets are empty, which the environment treats as an invalid action.
 */
export function parseShopAction(text: string): ShopAction | undefined {
  const match = ACTION_PATTERN.exec(text);
  if (!match) return undefined;
  const argument = normalizeText(match[2]);
  if (argument === '') return undefined;
  if (match[1].toLowerCase() === 'search') return { kind: 'search', keywords: argument };
  return { kind: 'click', target: argument };
}

/**
 * The `search[...]` actions offered on the search page, derived from the goal the instruction states: all its
 * keywords, attributes + type, the type alone, and the type with each single attribute. A policy that picks among
 * admissible actions can search well or badly with them; free-text searches stay valid too.
 */
export function searchCandidates(goal: ShopGoal): string[] {
  const type = goal.productType;
  const attributes = goal.attributes.join(' ');
  const keywords = [
    [attributes, type, ...Object.values(goal.options)],
    [attributes, type],
    [type],
    ...(goal.attributes.length > 1 ? goal.attributes.map((a) => [a, type]) : []),
  ].map((words) => normalizeText(words.join(' ')));
  return [...new Set(keywords)].map((k) => `search[${k}]`);
}
