import { InvalidInputError } from '../../errors.ts';
import { createRng, hashSeed } from '../../random.ts';
import type { Rng } from '../../random.ts';
import { BRANDS, PRODUCT_TYPES } from './product-types.ts';
import type { ProductType } from './product-types.ts';

export interface Product {
  readonly id: string;
  /** Index in `catalog.products`, for array-backed lookups on the hot path. */
  readonly index: number;
  readonly type: string;
  readonly category: readonly string[];
  readonly brand: string;
  readonly title: string;
  readonly attributes: readonly string[];
  /** Option dimension → the values this product is sold in, in the type's order. */
  readonly options: Readonly<Record<string, readonly string[]>>;
  readonly price: number;
}

export interface ShopCatalog {
  readonly seed: number;
  readonly size: number;
  readonly types: readonly ProductType[];
  readonly products: readonly Product[];
  readonly byId: ReadonlyMap<string, Product>;
  readonly typeByName: ReadonlyMap<string, ProductType>;
}

export interface CatalogOptions {
  readonly seed?: number;
  /** Number of products; 1,000 by default (WebShop's small setting). */
  readonly size?: number;
}

/**
 * Generates the `shop` catalog from a seed: products spread evenly over the product types, each with a brand, 2–4
 * attributes from its type's pool (two of them in the title), a subset of each option dimension and a price.
 *
 * @example
 * const catalog = generateShopCatalog({ seed: 1, size: 1000 });
 * catalog.byId.get('P0042')?.title; // e.g. 'acme breathable mesh running shoes'
 */
export function generateShopCatalog(options: CatalogOptions = {}): ShopCatalog {
  const seed = options.seed ?? 0;
  const size = options.size ?? 1000;
  if (!Number.isInteger(size) || size < PRODUCT_TYPES.length || size > 1_000_000) {
    throw new InvalidInputError(
      `catalog size must be an integer from ${PRODUCT_TYPES.length} to 1000000, got ${size}`);
  }
  const width = Math.max(4, String(size - 1).length);
  const rng = createRng(hashSeed(`shop-catalog:${seed}`));
  const products: Product[] = [];
  for (let index = 0; index < size; index++) {
    const type = PRODUCT_TYPES[index % PRODUCT_TYPES.length];
    products.push(generateProduct(type, index, `P${String(index).padStart(width, '0')}`, rng.fork(index)));
  }
  return {
    seed,
    size,
    types: PRODUCT_TYPES,
    products,
    byId: new Map(products.map((p) => [p.id, p])),
    typeByName: new Map(PRODUCT_TYPES.map((t) => [t.name, t])),
  };
}

function generateProduct(type: ProductType, index: number, id: string, rng: Rng): Product {
  const picked = rng.shuffle(type.attributes).slice(0, 2 + rng.int(3));
  const attributes = type.attributes.filter((a) => picked.includes(a));
  const brand = rng.pick(BRANDS);
  const options: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(type.options)) {
    const count = Math.ceil(values.length / 2) + rng.int(Math.floor(values.length / 2) + 1);
    const keep = new Set(rng.shuffle(values).slice(0, count));
    options[name] = values.filter((v) => keep.has(v));
  }
  const [low, high] = type.price;
  const price = Math.round((low + (high - low) * rng.next()) * 100) / 100;
  return {
    id,
    index,
    type: type.name,
    category: type.category,
    brand,
    title: `${brand} ${picked.slice(0, 2).join(' ')} ${type.name}`,
    attributes,
    options,
    price,
  };
}
