import { z } from 'zod';
import { InvalidInputError } from '../../errors.ts';
import type { Product, ShopCatalog } from './catalog.ts';

/**
 * What a `shop` task asks for, as plain data so a curriculum can vary it: a product type, attributes the product
 * must have, option values to select (dimension → value) and a price bound in dollars.
 */
export const ShopGoalSchema = z.object({
  productType: z.string().min(1),
  attributes: z.array(z.string().min(1)),
  options: z.record(z.string(), z.string().min(1)),
  priceUpper: z.number().positive(),
});
export type ShopGoal = z.infer<typeof ShopGoalSchema>;

export const ShopTaskSchema = z.object({
  id: z.string().min(1),
  instruction: z.string(),
  goal: ShopGoalSchema,
});
export type ShopTask = z.infer<typeof ShopTaskSchema>;

/** Whether buying this product with the goal's options selected earns the full reward. */
export function productSatisfiesGoal(product: Product, goal: ShopGoal): boolean {
  if (product.type !== goal.productType || product.price > goal.priceUpper) return false;
  if (!goal.attributes.every((a) => product.attributes.includes(a))) return false;
  return Object.entries(goal.options).every(([name, value]) => product.options[name]?.includes(value) ?? false);
}

/** Every product that satisfies the goal, in catalog order. */
export function findSatisfyingProducts(catalog: ShopCatalog, goal: ShopGoal): Product[] {
  return catalog.products.filter((p) => productSatisfiesGoal(p, goal));
}

/**
 * Checks a goal against the catalog's vocabulary (known type, attributes from its pool, option dimensions and values
 * it sells) and returns it parsed; throws InvalidInputError naming the first problem.
 */
export function validateShopGoal(catalog: ShopCatalog, input: unknown): ShopGoal {
  const parsed = ShopGoalSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInputError(`shop goal is malformed at "${issue.path.join('.')}": ${issue.message}`);
  }
  const goal = parsed.data;
  const type = catalog.typeByName.get(goal.productType);
  if (!type) throw new InvalidInputError(`shop goal names an unknown product type "${goal.productType}"`);
  for (const attribute of goal.attributes) {
    if (!type.attributes.includes(attribute)) {
      throw new InvalidInputError(`shop goal attribute "${attribute}" is not one of ${type.name}'s attributes`);
    }
  }
  for (const [name, value] of Object.entries(goal.options)) {
    const values = type.options[name];
    if (!values) throw new InvalidInputError(`shop goal option "${name}" does not exist for ${type.name}`);
    if (!values.includes(value)) throw new InvalidInputError(`shop goal option ${name} "${value}" is not sold`);
  }
  return goal;
}
