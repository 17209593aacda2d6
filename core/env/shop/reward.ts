import type { Product, ShopCatalog } from './catalog.ts';
import type { ShopGoal } from './goal.ts';
import { normalizeText, tokenize } from '../tokenize.ts';

export interface ShopRewardParts {
  /** The product-type factor r_type (1, 0.5, 0.1 or 0). */
  readonly typeFactor: number;
  readonly attributeMatches: number;
  readonly optionMatches: number;
  readonly priceOk: boolean;
  readonly reward: number;
}

/**
 * WebShop's reward for buying `product` with `selected` options (its `get_reward`):
 * (attribute matches + option matches + [price ≤ bound]) / (goal attributes + goal options + 1) × r_type.
 * A goal attribute matches when the product has it or its title contains it; a goal option matches when it was
 * selected (in any dimension, as WebShop compares values only). Exact text comparison stands in for WebShop's fuzzy
 * matching, since the catalog's vocabulary is closed.
 *
 * @example
 * shopReward(catalog, product, { color: 'red', size: 'm' }, task.goal).reward; // 1 when everything matches
 */
export function shopReward(
  catalog: ShopCatalog,
  product: Product,
  selected: Readonly<Record<string, string>>,
  goal: ShopGoal,
): ShopRewardParts {
  const title = product.title.toLowerCase();
  let attributeMatches = 0;
  for (const attribute of goal.attributes) {
    if (product.attributes.includes(attribute) || title.includes(normalizeText(attribute))) attributeMatches++;
  }
  const chosen = new Set(Object.values(selected).map(normalizeText));
  let optionMatches = 0;
  for (const value of Object.values(goal.options)) if (chosen.has(normalizeText(value))) optionMatches++;
  const priceOk = product.price <= goal.priceUpper;
  const typeFactor = productTypeFactor(catalog, product, goal);
  const total = goal.attributes.length + Object.keys(goal.options).length + 1;
  const reward = ((attributeMatches + optionMatches + (priceOk ? 1 : 0)) / total) * typeFactor;
  return { typeFactor, attributeMatches, optionMatches, priceOk, reward };
}

/**
 * WebShop's `get_type_reward`: the type matches if the product's type is the goal's (WebShop's query match), or
 * their category paths share at least two levels, or more than 0.2 of the goal type's words are in the product's
 * title; otherwise 0.5. A title score under 0.1 gives 0.1, and no shared word at all gives 0.
 */
export function productTypeFactor(catalog: ShopCatalog, product: Product, goal: ShopGoal): number {
  const goalWords = new Set(tokenize(goal.productType));
  const titleWords = new Set(tokenize(product.title));
  let shared = 0;
  for (const word of goalWords) if (titleWords.has(word)) shared++;
  const titleScore = goalWords.size === 0 ? 0.2 : shared / goalWords.size;
  const goalCategory = new Set(catalog.typeByName.get(goal.productType)?.category ?? []);
  const categoryMatch = product.category.filter((level) => goalCategory.has(level)).length >= 2;
  const match = product.type === goal.productType || categoryMatch || titleScore > 0.2;
  if (titleScore === 0) return 0;
  if (titleScore < 0.1) return 0.1;
  return match ? 1 : 0.5;
}
