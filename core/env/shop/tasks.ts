import { InvalidInputError } from '../../errors.ts';
import { createRng, hashSeed } from '../../random.ts';
import type { ShopCatalog } from './catalog.ts';
import { findSatisfyingProducts, validateShopGoal } from './goal.ts';
import type { ShopGoal, ShopTask } from './goal.ts';
import { describeShopGoal, goalVariant } from './instruction.ts';

/** WebShop's price bounds: multiples of ten. */
const PRICE_STEP = 10;

/**
 * Task number `index` of a catalog, made from one product as WebShop makes its synthetic goals: 1–3 of the product's
 * attributes, most of its option dimensions with one sold value each, and a price bound 2–4 steps of ten above its
 * price. The same catalog and index always give the same task; the source product always satisfies it.
 *
 * @example
 * const task = generateShopTask(catalog, 7);
 * task.id;          // 'shop-task-000007'
 * task.instruction; // e.g. 'find me cotton t-shirt with color: red, and size: m, and price lower than 30.00 dollars'
 */
export function generateShopTask(catalog: ShopCatalog, index: number): ShopTask {
  if (!Number.isInteger(index) || index < 0) {
    throw new InvalidInputError(`shop task index must be a non-negative integer, got ${index}`);
  }
  const rng = createRng(hashSeed(`shop-task:${catalog.seed}:${index}`));
  const product = rng.pick(catalog.products);
  const picked = rng.shuffle(product.attributes).slice(0, 1 + rng.int(Math.min(3, product.attributes.length)));
  const options: Record<string, string> = {};
  for (const [name, values] of Object.entries(product.options)) {
    if (rng.next() < 0.85) options[name] = rng.pick(values);
  }
  const above = Math.floor(product.price / PRICE_STEP) + 1;
  const goal: ShopGoal = {
    productType: product.type,
    attributes: product.attributes.filter((a) => picked.includes(a)),
    options,
    priceUpper: (above + 1 + rng.int(3)) * PRICE_STEP,
  };
  const id = `shop-task-${String(index).padStart(6, '0')}`;
  return { id, instruction: describeShopGoal(goal, rng.int(1000)), goal };
}

/** Tasks `offset`, `offset + stride`, … (`count` of them); disjoint ranges make disjoint train and held-out sets. */
export function shopTasks(catalog: ShopCatalog, range: { offset?: number; count: number; stride?: number }): ShopTask[] {
  const offset = range.offset ?? 0;
  const stride = range.stride ?? 1;
  return Array.from({ length: range.count }, (_, i) => generateShopTask(catalog, offset + i * stride));
}

/**
 * A task from a goal (a curriculum's variation, a hand-written goal), after checking the goal is well formed and
 * feasible: at least one product in the catalog satisfies it. Throws InvalidInputError otherwise.
 *
 * @example
 * const harder = buildShopTask(catalog, { ...task.goal, priceUpper: 20 }); // throws if nothing is that cheap
 */
export function buildShopTask(catalog: ShopCatalog, goalInput: unknown, options: { id?: string } = {}): ShopTask {
  const goal = validateShopGoal(catalog, goalInput);
  if (findSatisfyingProducts(catalog, goal).length === 0) {
    throw new InvalidInputError(`shop goal is infeasible: no product satisfies "${describeShopGoal(goal)}"`);
  }
  const variant = goalVariant(goal);
  return {
    id: options.id ?? `shop-goal-${variant.toString(16).padStart(8, '0')}`,
    instruction: describeShopGoal(goal, variant),
    goal,
  };
}
