import { hashSeed } from '../../../random.ts';
import type { ShopGoal } from './goal.ts';

const OPENINGS = ['i need', 'i am looking for', 'find me', 'i want to buy', 'show me'] as const;

/**
 * The instruction text of a goal, in WebShop's style: "find me cotton, slim fit t-shirt with color: red, and
 * size: m, and price lower than 30.00 dollars". The opening words vary with `variant`, the rest is fixed, so the
 * goal can always be read back from the text.
 */
export function describeShopGoal(goal: ShopGoal, variant = 0): string {
  const opening = OPENINGS[Math.abs(variant) % OPENINGS.length];
  const subject = goal.attributes.length > 0 ? `${goal.attributes.join(', ')} ${goal.productType}` : goal.productType;
  const options = Object.entries(goal.options).map(([name, value]) => `${name}: ${value}`);
  const withOptions = options.length > 0 ? ` with ${options.join(', and ')}` : '';
  return `${opening} ${subject}${withOptions}, and price lower than ${goal.priceUpper.toFixed(2)} dollars`;
}

/** A canonical string of a goal (sorted attributes and options): equal goals, equal keys. */
export function goalKey(goal: ShopGoal): string {
  const options = Object.entries(goal.options).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([goal.productType, [...goal.attributes].sort(), options, goal.priceUpper]);
}

/** A stable variant number for a goal, so the same goal always reads the same. */
export function goalVariant(goal: ShopGoal): number {
  return hashSeed(goalKey(goal));
}
