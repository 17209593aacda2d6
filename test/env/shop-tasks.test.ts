import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../core/errors.ts';
import { generateShopCatalog } from '../../core/env/shop/catalog.ts';
import { findSatisfyingProducts, productSatisfiesGoal } from '../../core/env/shop/goal.ts';
import { buildShopTask, generateShopTask, shopTasks } from '../../core/env/shop/tasks.ts';

const catalog = generateShopCatalog({ seed: 7 });

describe('generateShopCatalog', () => {
  it('makes 1,000 products over about ten product types by default', () => {
    const types = new Map<string, number>();
    for (const p of catalog.products) types.set(p.type, (types.get(p.type) ?? 0) + 1);
    expect(catalog.products.length).toBe(1000);
    expect(types.size).toBeGreaterThanOrEqual(10);
    expect(Math.min(...types.values())).toBeGreaterThanOrEqual(80);
  });

  it('gives every product attributes from its type, options it sells and a price in cents', () => {
    for (const p of catalog.products) {
      const type = catalog.typeByName.get(p.type)!;
      expect(p.attributes.length).toBeGreaterThanOrEqual(2);
      expect(p.attributes.every((a) => type.attributes.includes(a))).toBe(true);
      for (const [name, values] of Object.entries(p.options)) {
        expect(values.length).toBeGreaterThanOrEqual(1);
        expect(values.every((v) => type.options[name].includes(v))).toBe(true);
      }
      expect(Math.round(p.price * 100) / 100).toBe(p.price);
      expect(p.title.endsWith(p.type)).toBe(true);
    }
  });

  it('is the same for the same seed and different for another', () => {
    expect(generateShopCatalog({ seed: 7 }).products).toEqual(catalog.products);
    expect(generateShopCatalog({ seed: 8 }).products).not.toEqual(catalog.products);
  });

  it('refuses a size it cannot fill with an InvalidInputError', () => {
    expect(() => generateShopCatalog({ size: 3 })).toThrow(InvalidInputError);
  });
});

describe('generateShopTask', () => {
  const tasks = shopTasks(catalog, { count: 300 });

  it('is deterministic by catalog seed and index, with padded ids', () => {
    expect(generateShopTask(catalog, 42)).toEqual(tasks[42]);
    expect(tasks[42].id).toBe('shop-task-000042');
    expect(shopTasks(catalog, { offset: 40, count: 3 })).toEqual(tasks.slice(40, 43));
    expect(generateShopTask(generateShopCatalog({ seed: 8 }), 42)).not.toEqual(tasks[42]);
  });

  it('makes feasible tasks whose instruction states the whole goal', () => {
    for (const task of tasks) {
      expect(findSatisfyingProducts(catalog, task.goal).length).toBeGreaterThan(0);
      expect(task.instruction).toContain(task.goal.productType);
      for (const a of task.goal.attributes) expect(task.instruction).toContain(a);
      for (const [name, value] of Object.entries(task.goal.options)) {
        expect(task.instruction).toContain(`${name}: ${value}`);
      }
      expect(task.instruction).toContain(`lower than ${task.goal.priceUpper.toFixed(2)} dollars`);
    }
  });

  it('varies the goals: several types, attribute counts and option counts', () => {
    expect(new Set(tasks.map((t) => t.goal.productType)).size).toBeGreaterThanOrEqual(10);
    expect(new Set(tasks.map((t) => t.goal.attributes.length))).toEqual(new Set([1, 2, 3]));
    expect(new Set(tasks.map((t) => Object.keys(t.goal.options).length)).size).toBeGreaterThanOrEqual(3);
  });
});

describe('buildShopTask', () => {
  const base = generateShopTask(catalog, 3);

  it('builds a feasible variation with a stable id and instruction', () => {
    // Prepare: keep only the type and loosen the budget
    const goal = { ...base.goal, attributes: [], options: {}, priceUpper: 1000 };
    // Act
    const task = buildShopTask(catalog, goal);
    // Assess
    expect(task.goal).toEqual(goal);
    expect(task.id).toMatch(/^shop-goal-[0-9a-f]{8}$/);
    expect(buildShopTask(catalog, goal)).toEqual(task);
    expect(catalog.products.some((p) => productSatisfiesGoal(p, task.goal))).toBe(true);
  });

  it('refuses an infeasible goal, naming it', () => {
    expect(() => buildShopTask(catalog, { ...base.goal, priceUpper: 1 })).toThrow(/infeasible/);
  });

  it('refuses goals outside the catalog vocabulary, naming the bad value', () => {
    expect(() => buildShopTask(catalog, { ...base.goal, productType: 'submarine' })).toThrow(/"submarine"/);
    expect(() => buildShopTask(catalog, { ...base.goal, attributes: ['edible'] })).toThrow(/"edible"/);
    expect(() => buildShopTask(catalog, { ...base.goal, options: { flavour: 'mint' } })).toThrow(/"flavour"/);
    expect(() => buildShopTask(catalog, { ...base.goal, priceUpper: -5 })).toThrow(/priceUpper/);
  });

  it('keeps a caller-given id', () => {
    expect(buildShopTask(catalog, base.goal, { id: 'curriculum-1' }).id).toBe('curriculum-1');
  });
});
