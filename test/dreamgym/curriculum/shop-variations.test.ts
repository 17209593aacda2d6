import { describe, expect, it } from 'vitest';
import { sampleIterationTasks } from '../../../core/dreamgym/curriculum/sample-tasks.ts';
import { updateCurriculum } from '../../../core/dreamgym/curriculum/update-curriculum.ts';
import { runEpisode } from '../../../core/dreamgym/offline/run-episode.ts';
import type { KnownTransition } from '../../../core/env/environment-kind.ts';
import { createKnownShopTaskGenerator } from '../../../core/env/shop/curriculum/known-shop-task-generator.ts';
import { KnownShopWorld } from '../../../core/env/shop/curriculum/known-shop-world.ts';
import { createShopExpert } from '../../../core/env/shop/expert.ts';
import { findSatisfyingProducts, ShopGoalSchema } from '../../../core/env/shop/goal.ts';
import { goalKey } from '../../../core/env/shop/instruction.ts';
import { createShopEnvironment } from '../../../core/env/shop/shop-environment.ts';
import { createRng } from '../../../core/random.ts';

const shop = createShopEnvironment({ seed: 8 });
const seeds = [0, 1, 2, 3, 4, 5].map((i) => shop.task(i));

/** What an experience model's buffer holds after expert offline episodes on 60 tasks: the generator's only world. */
async function knownWorld(): Promise<KnownShopWorld> {
  const session = await shop.open();
  const expert = createShopExpert(shop.catalog);
  const known: KnownTransition[] = [];
  for (let i = 0; i < 60; i++) {
    const task = shop.task(i);
    const { steps } = await runEpisode(session, task, expert, createRng(i));
    for (const step of steps) known.push({ ...step, instruction: task.instruction, taskId: task.id, goal: task.goal, source: 'offline' });
  }
  return KnownShopWorld.learn(known);
}
const world = await knownWorld();

describe('built-in shop task generator (what the experience model knows, never the real catalog)', () => {
  it('proposes well-formed variations that differ from the seed', async () => {
    // Prepare
    const generator = createKnownShopTaskGenerator(world);
    // Act
    const proposals = (await Promise.all(seeds.map((s, i) => generator.propose(s, 8, createRng(i))))).flat();
    // Assess
    expect(proposals.length).toBeGreaterThan(20);
    for (const task of proposals) expect(ShopGoalSchema.safeParse(task.goal).success).toBe(true);
    const seedKeys = new Set(seeds.map((s) => goalKey(ShopGoalSchema.parse(s.goal))));
    expect(proposals.some((t) => seedKeys.has(goalKey(ShopGoalSchema.parse(t.goal))))).toBe(false);
  });

  it('selects variations some known product satisfies, hardest first; most are feasible in the real catalog too', async () => {
    // Prepare
    const generator = createKnownShopTaskGenerator(world);
    const proposals = (await Promise.all(seeds.map((s, i) => generator.propose(s, 12, createRng(3 + i))))).flat();
    // Act
    const picked = (await Promise.all(seeds.map((s) => generator.select(s, proposals, 3)))).flat();
    // Assess: judged on known products only; the real catalog (read here by the test, never by the generator) agrees
    expect(picked.length).toBeGreaterThan(0);
    const one = await generator.select(seeds[1], proposals, 5);
    for (let i = 1; i < one.length; i++) expect(one[i - 1].difficulty).toBeGreaterThanOrEqual(one[i].difficulty);
    for (const { task } of picked) expect(world.satisfying(ShopGoalSchema.parse(task.goal)).length).toBeGreaterThan(0);
    const feasible = picked.filter(({ task }) => findSatisfyingProducts(shop.catalog, ShopGoalSchema.parse(task.goal)).length > 0);
    expect(feasible.length).toBe(picked.length); // a known product is a real product: known-feasible implies feasible
  });

  it('never proposes an excluded goal', async () => {
    // Prepare: exclude everything the generator proposes for this seed, then ask again
    const first = await createKnownShopTaskGenerator(world).propose(seeds[2], 10, createRng(5));
    const held = new Set(first.map((t) => goalKey(ShopGoalSchema.parse(t.goal))));
    // Act
    const again = await createKnownShopTaskGenerator(world, { excluded: (t) => held.has(goalKey(ShopGoalSchema.parse(t.goal))) })
      .propose(seeds[2], 10, createRng(5));
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
      { outcomes, tasks, previousPool: [], generator: createKnownShopTaskGenerator(world), rng: createRng(1) },
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
