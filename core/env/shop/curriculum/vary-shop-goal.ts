import type { Rng } from '../../../random.ts';
import type { ShopGoal } from '../goal.ts';

/**
 * The words a variation may use: per product type its attributes and option values. A `ShopCatalog` is one (the
 * real vocabulary); a curriculum that must not see the real world passes one learned from offline data.
 */
export interface ShopVocabulary {
  readonly typeByName: ReadonlyMap<string, { readonly attributes: readonly string[]; readonly options: Readonly<Record<string, readonly string[]>> }>;
}

type Operator = (goal: ShopGoal, catalog: ShopVocabulary, rng: Rng) => ShopGoal;

const PRICE_STEP = 10;

const addAttribute: Operator = (goal, catalog, rng) => {
  const pool = catalog.typeByName.get(goal.productType)?.attributes.filter((a) => !goal.attributes.includes(a)) ?? [];
  return pool.length === 0 ? goal : { ...goal, attributes: [...goal.attributes, rng.pick(pool)] };
};

const swapAttribute: Operator = (goal, catalog, rng) => {
  if (goal.attributes.length === 0) return addAttribute(goal, catalog, rng);
  const pool = catalog.typeByName.get(goal.productType)?.attributes.filter((a) => !goal.attributes.includes(a)) ?? [];
  if (pool.length === 0) return goal;
  const out = rng.int(goal.attributes.length);
  return { ...goal, attributes: goal.attributes.map((a, i) => (i === out ? rng.pick(pool) : a)) };
};

const dropAttribute: Operator = (goal, _catalog, rng) => {
  if (goal.attributes.length <= 1) return goal;
  const out = rng.int(goal.attributes.length);
  return { ...goal, attributes: goal.attributes.filter((_, i) => i !== out) };
};

const changeOption: Operator = (goal, catalog, rng) => {
  const dimensions = Object.entries(catalog.typeByName.get(goal.productType)?.options ?? {});
  if (dimensions.length === 0) return goal;
  const [name, values] = rng.pick(dimensions);
  const choices = values.filter((v) => v !== goal.options[name]);
  return choices.length === 0 ? goal : { ...goal, options: { ...goal.options, [name]: rng.pick(choices) } };
};

const tightenBudget: Operator = (goal) =>
  goal.priceUpper > PRICE_STEP ? { ...goal, priceUpper: goal.priceUpper - PRICE_STEP } : goal;

const loosenBudget: Operator = (goal) => ({ ...goal, priceUpper: goal.priceUpper + PRICE_STEP });

/** Harder-leaning on purpose: three of the six operators add constraints, two change them, one relaxes. */
const OPERATORS: readonly Operator[] = [addAttribute, swapAttribute, changeOption, tightenBudget, dropAttribute, loosenBudget];

/**
 * One random variation of a goal: one or two operators on its attributes, options and budget, in the catalog's
 * vocabulary. The result may be infeasible; callers check it with `buildShopTask`.
 *
 * @example
 * varyShopGoal(catalog, task.goal, rng); // e.g. the same goal with 'slim fit' added and a $10 lower budget
 */
export function varyShopGoal(catalog: ShopVocabulary, goal: ShopGoal, rng: Rng): ShopGoal {
  let varied = goal;
  const steps = 1 + rng.int(2);
  for (let i = 0; i < steps; i++) varied = rng.pick(OPERATORS)(varied, catalog, rng);
  const type = catalog.typeByName.get(varied.productType);
  const order = (a: string, b: string) => (type ? type.attributes.indexOf(a) - type.attributes.indexOf(b) : 0);
  return { ...varied, attributes: [...varied.attributes].sort(order) };
}
