import type { ShopGoal } from '../goal.ts';
import type { ItemView } from '../view.ts';
import { normalize, words } from './shop-text.ts';

/** How a purchase on an item page measures up against the task's goal: the inputs of the learned reward model. */
export interface PurchaseFeatures {
  readonly attributeMatches: number;
  readonly goalAttributes: number;
  readonly optionMatches: number;
  readonly goalOptions: number;
  readonly priceOk: boolean;
  /** Share of the goal's product-type words found in the item's title. */
  readonly typeOverlap: number;
}

/**
 * Reads the purchase features off an item page: a goal attribute matches when the page lists it or the title
 * contains it, a goal option when its value is selected, the price when it is within the bound.
 *
 * @example
 * purchaseFeatures(goal, view.item); // { attributeMatches: 2, goalAttributes: 2, optionMatches: 1, … }
 */
export function purchaseFeatures(goal: ShopGoal, item: ItemView['item']): PurchaseFeatures {
  const title = normalize(item.title);
  const listed = new Set(item.attributes.map(normalize));
  let attributeMatches = 0;
  for (const attribute of goal.attributes) {
    const wanted = normalize(attribute);
    if (listed.has(wanted) || title.includes(wanted)) attributeMatches++;
  }
  const selected = new Set(item.options.flatMap((o) => (o.selected === null ? [] : [normalize(o.selected)])));
  let optionMatches = 0;
  for (const value of Object.values(goal.options)) if (selected.has(normalize(value))) optionMatches++;
  const typeWords = new Set(words(goal.productType));
  const titleWords = new Set(words(item.title));
  let shared = 0;
  for (const word of typeWords) if (titleWords.has(word)) shared++;
  return {
    attributeMatches,
    goalAttributes: goal.attributes.length,
    optionMatches,
    goalOptions: Object.keys(goal.options).length,
    priceOk: item.price <= goal.priceUpper,
    typeOverlap: typeWords.size === 0 ? 0 : shared / typeWords.size,
  };
}

/** The share of the goal's constraints (attributes, options, price) the purchase meets. */
export function constraintShare(f: PurchaseFeatures): number {
  return (f.attributeMatches + f.optionMatches + (f.priceOk ? 1 : 0)) / (f.goalAttributes + f.goalOptions + 1);
}

/** The exact feature combination, as a key of the reward table. */
export function featureKey(f: PurchaseFeatures): string {
  const type = f.typeOverlap === 1 ? 'all' : f.typeOverlap === 0 ? 'none' : 'some';
  return `${f.attributeMatches}/${f.goalAttributes} ${f.optionMatches}/${f.goalOptions} ${f.priceOk ? 'price' : 'over'} ${type}`;
}
