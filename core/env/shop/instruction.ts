import { hashSeed } from '../../random.ts';
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

/**
 * Reads a goal back from an instruction in the format `describeShopGoal` writes (the shop's published task
 * format), without the catalog: `productTypes` (e.g. learned from offline tasks) tell the product type from the
 * last attribute; without a match the last word is taken as the type. Undefined when the text is not in the format.
 *
 * @example
 * readShopInstruction('find me cotton, slim fit t-shirt with color: red, and price lower than 30.00 dollars', new Set(['t-shirt']));
 * // { productType: 't-shirt', attributes: ['cotton', 'slim fit'], options: { color: 'red' }, priceUpper: 30 }
 */
export function readShopInstruction(instruction: string, productTypes: ReadonlySet<string> = new Set()): ShopGoal | undefined {
  const text = instruction.trim().toLowerCase();
  const opening = OPENINGS.find((o) => text.startsWith(`${o} `));
  const price = /,? and price lower than (\d+(?:\.\d+)?) dollars$/.exec(text);
  if (!opening || !price) return undefined;
  const body = text.slice(opening.length + 1, price.index);
  const withAt = body.indexOf(' with ');
  const subject = withAt === -1 ? body : body.slice(0, withAt);
  const options: Record<string, string> = {};
  if (withAt !== -1) {
    for (const part of body.slice(withAt + ' with '.length).split(', and ')) {
      const colon = part.indexOf(': ');
      if (colon <= 0) return undefined;
      options[part.slice(0, colon)] = part.slice(colon + 2);
    }
  }
  const chunks = subject.split(', ');
  const last = chunks.pop()!;
  let productType = [...productTypes].filter((t) => last === t || last.endsWith(` ${t}`)).sort((a, b) => b.length - a.length)[0];
  productType ??= last.split(' ').at(-1)!;
  const lastAttribute = last.slice(0, last.length - productType.length).trim();
  const attributes = [...chunks, ...(lastAttribute ? [lastAttribute] : [])];
  if (productType === '' || attributes.some((a) => a === '')) return undefined;
  return { productType, attributes, options, priceUpper: Number(price[1]) };
}
