import { describe, expect, it } from 'vitest';
import { createShopTaskGenerator } from '../../../core/env/shop/curriculum/shop-task-generator.ts';
import { sampleIterationTasks } from '../../../core/dreamgym/curriculum/sample-tasks.ts';
import { updateCurriculum } from '../../../core/dreamgym/curriculum/update-curriculum.ts';
import { findSatisfyingProducts, ShopGoalSchema } from '../../../core/env/shop/goal.ts';
import { goalKey } from '../../../core/env/shop/instruction.ts';
import { createShopEnvironment } from '../../../core/env/shop/shop-environment.ts';
import { buildShopTask } from '../../../core/env/shop/tasks.ts';
import { createRng } from '../../../core/random.ts';

const shop = createShopEnvironment({ seed: 8 });
const seeds = [0, 1, 2, 3, 4, 5].map((i) => shop.task(i));

describe('built-in shop task generator', () => {
  it('proposes well-formed, feasible variations that differ from the seed', async () => {
    // Prepare
    const generator = createShopTaskGenerator(shop);
    // Act
    const proposals = (await Promise.all(seeds.map((s, i) => generator.propose(s, 8, createRng(i))))).flat();
    // Assess
    expect(proposals.length).toBeGreaterThan(20);
    for (const task of proposals) {
      const goal = ShopGoalSchema.parse(task.goal);
      expect(() => buildShopTask(shop.catalog, goal)).not.toThrow();
      expect(findSatisfyingProducts(shop.catalog, goal).length).toBeGreaterThan(0);
    }
    const seedKeys = new Set(seeds.map((s) => goalKey(ShopGoalSchema.parse(s.goal))));
    expect(proposals.some((t) => seedKeys.has(goalKey(ShopGoalSchema.parse(t.goal))))).toBe(false);
  });

  it('varies attributes, options and budget', async () => {
    const generator = createShopTaskGenerator(shop);
    const seed = ShopGoalSchema.parse(seeds[0].goal);
    const goals = (await generator.propose(seeds[0], 30, createRng(1))).map((t) => ShopGoalSchema.parse(t.goal));
    expect(goals.some((g) => JSON.stringify(g.attributes) !== JSON.stringify(seed.attributes))).toBe(true);
    expect(goals.some((g) => JSON.stringify(g.options) !== JSON.stringify(seed.options))).toBe(true);
    expect(goals.some((g) => g.priceUpper !== seed.priceUpper)).toBe(true);
  });

  it('selects reachable variations, hardest first, no easier than the seed when it can', async () => {
    // Prepare
    const generator = createShopTaskGenerator(shop);
    const proposals = await generator.propose(seeds[1], 12, createRng(3));
    // Act
    const picked = await generator.select(seeds[1], proposals, 3);
    // Assess
    expect(picked.length).toBeGreaterThan(0);
    for (let i = 1; i < picked.length; i++) expect(picked[i - 1].difficulty).toBeGreaterThanOrEqual(picked[i].difficulty);
    for (const { task } of picked) {
      const goal = ShopGoalSchema.parse(task.goal);
      const satisfying = new Set(findSatisfyingProducts(shop.catalog, goal).map((p) => p.index));
      const query = [...goal.attributes, goal.productType, ...Object.values(goal.options)].join(' ');
      expect(shop.world.index.search(query).slice(0, 15).some((i) => satisfying.has(i))).toBe(true);
    }
  });

  it('never proposes a held-out goal', async () => {
    // Prepare: hold out everything the generator proposes for this seed, then ask again
    const first = await createShopTaskGenerator(shop).propose(seeds[2], 10, createRng(5));
    const held = new Set(first.map((t) => goalKey(ShopGoalSchema.parse(t.goal))));
    // Act
    const again = await createShopTaskGenerator(shop, { excludeGoalKeys: held }).propose(seeds[2], 10, createRng(5));
    // Assess
    expect(again.some((t) => held.has(goalKey(ShopGoalSchema.parse(t.goal))))).toBe(false);
  });
});

describe('curriculum update and sampling', () => {
  it('seeds variations from the highest-value tasks only', async () => {
    // Prepare
    const tasks = new Map(seeds.map((t) => [t.id, t]));
    const outcomes = seeds.map((t, i) => ({ taskId: t.id, rewards: i === 2 ? [1, 0, 1, 0] : i === 4 ? [1, 0, 0, 0] : [0, 0, 0, 0] }));
    // Act
    const update = await updateCurriculum(
      { outcomes, tasks, previousPool: [], generator: createShopTaskGenerator(shop), rng: createRng(1) },
      { seedTasks: 4, keepPerSeed: 2 },
    );
    // Assess
    expect(update.seeds).toEqual([seeds[2].id, seeds[4].id]);
    expect(update.added.length).toBeGreaterThan(0);
    expect(update.added.length).toBeLessThanOrEqual(4);
    expect(update.pool).toEqual(update.added);
  });

  it('bounds the share of curriculum tasks in an iteration by λ', () => {
    // Prepare
    const pool = seeds.slice(3);
    // Act
    const share = (lambda: number) => sampleIterationTasks({ original: seeds.slice(0, 3), pool, count: 8, syntheticShare: lambda, rng: createRng(2) })
      .filter((s) => s.origin === 'curriculum').length;
    // Assess
    expect(share(0)).toBe(0);
    expect(share(0.25)).toBe(2);
    expect(share(0.5)).toBe(3);
    expect(sampleIterationTasks({ original: seeds, pool, count: 8, syntheticShare: 0.25, rng: createRng(2) })).toHaveLength(8);
    expect(() => sampleIterationTasks({ original: seeds, pool, count: 8, syntheticShare: 1.5, rng: createRng(2) })).toThrow(/λ/);
  });
});
