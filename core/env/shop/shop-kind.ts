import type { EnvironmentFactory } from '../environment.ts';
import type { EnvironmentKind } from '../environment-kind.ts';
import { createKnownShopTaskGenerator } from './curriculum/known-shop-task-generator.ts';
import { knownProductTypes, KnownShopWorld } from './curriculum/known-shop-world.ts';
import { createShopStepComposer } from './experience/shop-step-composer.ts';
import { SHOP_EXPERIENCE_RULES } from './experience-rules.ts';
import { createShopExpert } from './expert.ts';
import { shopPolicyFeatures } from './features/shop-features.ts';
import { findSatisfyingProducts, ShopGoalSchema } from './goal.ts';
import { asShopEnvironment, type ShopEnvironment } from './shop-environment.ts';
import { describeShopGoal, goalKey, goalVariant } from './instruction.ts';
import { SHOP_RULES } from './rules.ts';
import { shopStateAgreement } from './state-agreement.ts';
import { createShopStateReader } from './state-reader.ts';

/**
 * Everything the built-in `shop` knows of its own interface, for the parts of DreamGym that never touch it: the
 * policy's page-aware features, the experience model's page composer, the curriculum's goal variations judged
 * against the products real transitions showed, the synthetic state reader (the shop's action grammar, with the goal
 * read from the instruction) and page-by-page state agreement, the LLM experience model's page rules, and the scripted
 * expert (which, like `feasible`, reads the real shop's catalog). Tasks are told apart by their goal, and one goal can
 * recur at many task indexes; an episode ends after the run's configured `maxSteps`.
 *
 * @example
 * const kind = environmentKind('shop'); // shopKind
 * kind.policyFeatures.actionFeatures(task.instruction, state, actions, []);
 */
export const shopKind: EnvironmentKind = {
  name: 'shop',
  rules: SHOP_RULES,
  experienceRules: SHOP_EXPERIENCE_RULES,
  expert: (real) => createShopExpert(builtinShop(real).catalog),
  maxSteps: (configured) => configured,
  repeatsTasks: true,
  policyFeatures: shopPolicyFeatures,
  experienceKnowledge: createShopStepComposer,
  curriculum(known, excluded) {
    const world = KnownShopWorld.learn(known);
    return {
      generator: createKnownShopTaskGenerator(world, { excluded }),
      check(proposal) {
        const goal = ShopGoalSchema.safeParse(proposal.goal);
        if (!goal.success || world.satisfying(goal.data).length === 0) return undefined;
        const variant = goalVariant(goal.data);
        const task = { id: `shop-goal-${variant.toString(16).padStart(8, '0')}`, instruction: describeShopGoal(goal.data, variant), goal: goal.data };
        return excluded(task) ? undefined : task;
      },
    };
  },
  realVariations: true,
  feasible: (real, task) => findSatisfyingProducts(builtinShop(real).catalog, ShopGoalSchema.parse(task.goal)).length > 0,
  syntheticStates: (known) => ({ reader: createShopStateReader(knownProductTypes(known)), invalidEnds: true }),
  stateAgreement: shopStateAgreement,
  taskKey(task) {
    const goal = ShopGoalSchema.safeParse(task.goal);
    return goal.success ? goalKey(goal.data) : undefined;
  },
};

/** The built-in shop behind a real environment the shop's hooks are given. */
function builtinShop(real: EnvironmentFactory): ShopEnvironment {
  const shop = asShopEnvironment(real);
  if (!shop) throw new Error(`the shop kind reads the built-in shop's catalog, not ${real.spec}`);
  return shop;
}
