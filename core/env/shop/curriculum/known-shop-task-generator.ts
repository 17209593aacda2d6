import type { Task } from '../../environment.ts';
import { ShopGoalSchema } from '../goal.ts';
import type { ShopGoal } from '../goal.ts';
import { describeShopGoal, goalKey, goalVariant } from '../instruction.ts';
import type { KnownShopWorld } from './known-shop-world.ts';
import type { CheckedVariation, TaskGenerator } from '../../environment-kind.ts';
import { varyShopGoal } from './vary-shop-goal.ts';

export interface KnownShopTaskGeneratorOptions {
  /** Tasks never to produce (the held-out evaluation tasks, the training tasks). */
  readonly excluded?: (task: Task) => boolean;
}

/**
 * The built-in `shop` curriculum generator over what the experience model knows, never the real catalog: `propose`
 * varies a seed goal with the learned vocabulary; `select` keeps the variations some known product satisfies
 * (feasible as far as the model knows), hardest first: more constraints and fewer known satisfying products.
 * The instruction is written in the shop's published instruction format.
 *
 * @example
 * const generator = createKnownShopTaskGenerator(KnownShopWorld.learn(known), { excluded: (task) => held.has(taskKey(task)) });
 * const picked = await generator.select(seed, await generator.propose(seed, 8, rng), 2);
 */
export function createKnownShopTaskGenerator(world: KnownShopWorld, options: KnownShopTaskGeneratorOptions = {}): TaskGenerator {
  const difficulty = (goal: ShopGoal): number | undefined => {
    const satisfying = world.satisfying(goal).length;
    if (satisfying === 0) return undefined;
    return goal.attributes.length + Object.keys(goal.options).length + Math.log2(world.ofType(goal.productType) / satisfying);
  };
  return {
    name: 'shop-known',
    async propose(seed, count, rng) {
      const seedGoal = ShopGoalSchema.parse(seed.goal);
      const seen = new Set([goalKey(seedGoal)]);
      const out: Task[] = [];
      for (let attempt = 0; attempt < count * 6 && out.length < count; attempt++) {
        const goal = varyShopGoal(world, seedGoal, rng);
        const key = goalKey(goal);
        if (seen.has(key)) continue;
        seen.add(key);
        const variant = goalVariant(goal);
        const task = { id: `shop-goal-${variant.toString(16).padStart(8, '0')}`, instruction: describeShopGoal(goal, variant), goal };
        if (!options.excluded?.(task)) out.push(task);
      }
      return out;
    },
    async select(seed, candidates, keep) {
      const seedGoal = ShopGoalSchema.safeParse(seed.goal);
      const seedDifficulty = (seedGoal.success ? difficulty(seedGoal.data) : undefined) ?? 0;
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
