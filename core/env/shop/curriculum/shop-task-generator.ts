import { searchCandidates } from '../actions.ts';
import { findSatisfyingProducts, ShopGoalSchema } from '../goal.ts';
import type { ShopGoal } from '../goal.ts';
import { goalKey } from '../instruction.ts';
import type { ShopEnvironment } from '../shop-environment.ts';
import { buildShopTask } from '../tasks.ts';
import type { Task } from '../../environment.ts';
import type { CheckedVariation, TaskGenerator } from '../../environment-kind.ts';
import { varyShopGoal } from './vary-shop-goal.ts';

export interface ShopTaskGeneratorOptions {
  /** Goals never to produce (e.g. the held-out evaluation tasks), as `goalKey`s. */
  readonly excludeGoalKeys?: ReadonlySet<string>;
  /** A variation is feasible when a satisfying product is among this many results of its own full query; 15. */
  readonly reachDepth?: number;
}

/**
 * The built-in curriculum generator for `shop`: varies a seed goal's attributes, options and budget using the
 * catalog's vocabulary, keeps only goals `buildShopTask` accepts (well formed, some product satisfies them), and
 * selects those a shopper could actually reach (a satisfying product in the first pages of its own search),
 * hardest first: more constraints and fewer satisfying products.
 *
 * @example
 * const generator = createShopTaskGenerator(shop, { excludeGoalKeys: heldOutKeys });
 * const picked = await generator.select(seed, await generator.propose(seed, 8, rng), 2);
 */
export function createShopTaskGenerator(shop: ShopEnvironment, options: ShopTaskGeneratorOptions = {}): TaskGenerator {
  const { catalog, world } = shop;
  const reachDepth = options.reachDepth ?? 15;
  const difficulty = (goal: ShopGoal): number | undefined => {
    const satisfying = findSatisfyingProducts(catalog, goal);
    const query = searchCandidates(goal)[0].slice('search['.length, -1);
    const reachable = world.index.search(query).slice(0, reachDepth)
      .some((index) => satisfying.includes(catalog.products[index]));
    if (!reachable) return undefined;
    const ofType = catalog.products.filter((p) => p.type === goal.productType).length;
    return goal.attributes.length + Object.keys(goal.options).length + Math.log2(ofType / satisfying.length);
  };
  return {
    name: 'shop-builtin',
    async propose(seed, count, rng) {
      const seedGoal = ShopGoalSchema.parse(seed.goal);
      const seen = new Set([goalKey(seedGoal), ...(options.excludeGoalKeys ?? [])]);
      const out: Task[] = [];
      for (let attempt = 0; attempt < count * 6 && out.length < count; attempt++) {
        const goal = varyShopGoal(catalog, seedGoal, rng);
        const key = goalKey(goal);
        if (seen.has(key)) continue;
        seen.add(key);
        try {
          out.push(buildShopTask(catalog, goal));
        } catch {
          // infeasible or malformed: not a variation anyone could complete
        }
      }
      return out;
    },
    async select(seed, candidates, keep) {
      const seedDifficulty = difficulty(ShopGoalSchema.parse(seed.goal)) ?? 0;
      const checked: CheckedVariation[] = [];
      for (const task of candidates) {
        const goal = ShopGoalSchema.safeParse(task.goal);
        const value = goal.success ? difficulty(goal.data) : undefined;
        if (value !== undefined) checked.push({ task, difficulty: value });
      }
      checked.sort((a, b) => b.difficulty - a.difficulty || (a.task.id < b.task.id ? -1 : 1));
      const harder = checked.filter((c) => c.difficulty >= seedDifficulty);
      return (harder.length > 0 ? harder : checked).slice(0, keep);
    },
  };
}
