import { describe, expect, it } from 'vitest';
import { generateShopCatalog } from '../../core/env/shop/catalog.ts';
import type { Product, ShopCatalog } from '../../core/env/shop/catalog.ts';
import type { ShopGoal } from '../../core/env/shop/goal.ts';
import { productTypeFactor, shopReward } from '../../core/env/shop/reward.ts';
import { createShopEnvironment } from '../../core/env/shop/shop-environment.ts';

const catalog = generateShopCatalog({ seed: 3, size: 220 });

function product(overrides: Partial<Product> = {}): Product {
  return {
    id: 'P9999', index: 0, type: 't-shirt', category: ['clothing', 'tops', 't-shirts'], brand: 'acme',
    title: 'acme cotton slim fit t-shirt', attributes: ['cotton', 'slim fit', 'machine wash'],
    options: { color: ['red', 'black'], size: ['s', 'm'] }, price: 19.5, ...overrides,
  };
}

const goal: ShopGoal = {
  productType: 't-shirt', attributes: ['cotton', 'machine wash'], options: { color: 'red', size: 'm' }, priceUpper: 30,
};

describe('shopReward (WebShop formula)', () => {
  it('gives 1 when type, attributes, options and price all match', () => {
    // Act
    const parts = shopReward(catalog, product(), { color: 'red', size: 'm' }, goal);
    // Assess
    expect(parts).toEqual({ typeFactor: 1, attributeMatches: 2, optionMatches: 2, priceOk: true, reward: 1 });
  });

  it('counts unselected options as misses: (2 + 0 + 1) / 5', () => {
    expect(shopReward(catalog, product(), {}, goal).reward).toBeCloseTo(3 / 5, 12);
  });

  it('loses the price share when the product costs more than the bound', () => {
    const parts = shopReward(catalog, product({ price: 30.01 }), { color: 'red', size: 'm' }, goal);
    expect(parts.priceOk).toBe(false);
    expect(parts.reward).toBeCloseTo(4 / 5, 12);
  });

  it('accepts a price exactly at the bound', () => {
    expect(shopReward(catalog, product({ price: 30 }), { color: 'red', size: 'm' }, goal).reward).toBe(1);
  });

  it('matches a goal attribute found in the title even when the attribute list lacks it', () => {
    // Prepare: 'slim fit' is only in the title
    const titleOnly = product({ attributes: ['cotton'] });
    const wantsSlim: ShopGoal = { ...goal, attributes: ['cotton', 'slim fit', 'machine wash'] };
    // Act
    const parts = shopReward(catalog, titleOnly, { color: 'red', size: 'm' }, wantsSlim);
    // Assess: cotton (list) + slim fit (title), machine wash missing
    expect(parts.attributeMatches).toBe(2);
    expect(parts.reward).toBeCloseTo((2 + 2 + 1) / 6, 12);
  });

  it('compares option values regardless of the dimension they were selected in, as WebShop does', () => {
    expect(shopReward(catalog, product(), { size: 'red', color: 'm' }, goal).optionMatches).toBe(2);
  });

  it('uses a denominator of 1 for a goal with only a price bound', () => {
    const bare: ShopGoal = { productType: 't-shirt', attributes: [], options: {}, priceUpper: 10 };
    expect(shopReward(catalog, product(), {}, bare).reward).toBe(0);
    expect(shopReward(catalog, product({ price: 9.99 }), {}, bare).reward).toBe(1);
  });

  it('multiplies by 0 when the product is of an unrelated type', () => {
    const backpack = product({ type: 'backpack', category: ['bags', 'backpacks', 'daypacks'],
      title: 'acme waterproof backpack', attributes: ['cotton', 'machine wash'] });
    const parts = shopReward(catalog, backpack, { color: 'red', size: 'm' }, goal);
    expect(parts.typeFactor).toBe(0);
    expect(parts.reward).toBe(0);
  });
});

describe('productTypeFactor (WebShop get_type_reward thresholds)', () => {
  // A goal type with many words gives the small title scores WebShop's lower factors are about.
  const longType = 'alpha beta gamma delta epsilon zeta';
  const longTypeCatalog: ShopCatalog = {
    ...catalog,
    typeByName: new Map([...catalog.typeByName, [longType, {
      name: longType, category: ['x', 'y', 'z'], attributes: [], options: {}, price: [1, 2] as const }]]),
  };
  const longGoal: ShopGoal = { productType: longType, attributes: [], options: {}, priceUpper: 100 };

  it('is 1 for the same type', () => {
    expect(productTypeFactor(catalog, product(), goal)).toBe(1);
  });

  it('is 1 for another type when more than a fifth of the goal type words are in the title', () => {
    const other = product({ type: 'other', category: ['q'], title: 'acme alpha beta thing' }); // 2/6 > 0.2
    expect(productTypeFactor(longTypeCatalog, other, longGoal)).toBe(1);
  });

  it('is 0.5 for a partial title match (between 0.1 and 0.2) with no type or category match', () => {
    const other = product({ type: 'other', category: ['q'], title: 'acme alpha thing' }); // 1/6
    expect(productTypeFactor(longTypeCatalog, other, longGoal)).toBe(0.5);
  });

  it('is 1 for the same partial title match when two category levels are shared', () => {
    const cousin = product({ type: 'other', category: ['x', 'y', 'w'], title: 'acme alpha thing' });
    expect(productTypeFactor(longTypeCatalog, cousin, longGoal)).toBe(1);
  });

  it('is 0.1 when under a tenth of the goal type words are in the title', () => {
    const elevenWords = 'a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11';
    const catalog11: ShopCatalog = { ...catalog, typeByName: new Map([[elevenWords, {
      name: elevenWords, category: ['x'], attributes: [], options: {}, price: [1, 2] as const }]]) };
    const other = product({ type: 'other', category: ['q'], title: 'acme a1 thing' }); // 1/11
    expect(productTypeFactor(catalog11, other, { ...longGoal, productType: elevenWords })).toBe(0.1);
  });

  it('is 0 when no goal type word is in the title, even for the same category', () => {
    const hoodie = catalog.products.find((p) => p.type === 'hoodie')!;
    expect(productTypeFactor(catalog, hoodie, goal)).toBe(0);
  });
});

describe('buying in the shop environment', () => {
  it('returns the formula reward when the agent clicks buy now', async () => {
    // Prepare: a task and the cheapest satisfying route through the pages
    const shop = createShopEnvironment({ catalog });
    const episode = shop.openEpisode();
    const task = shop.task(5);
    const target = catalog.products.find((p) => p.type === task.goal.productType
      && task.goal.attributes.every((a) => p.attributes.includes(a)) && p.price <= task.goal.priceUpper
      && Object.entries(task.goal.options).every(([k, v]) => p.options[k]?.includes(v)))!;
    episode.reset(task);
    episode.step(`search[${target.title}]`);
    // Act: open the target (it ranks among the first five for its own title) and buy without options
    const hasTarget = episode.admissibleActions().includes(`click[${target.id}]`);
    episode.step(`click[${target.id}]`);
    const result = episode.step('click[buy now]');
    // Assess
    const expected = shopReward(catalog, target, {}, task.goal).reward;
    expect(hasTarget).toBe(true);
    expect(result.done).toBe(true);
    expect(result.valid).toBe(true);
    expect(result.reward).toBe(expected);
    expect(result.info).toMatchObject({ page: 'done', optionMatches: 0 });
  });
});
