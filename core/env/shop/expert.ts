import type { Task } from '../environment.ts';
import type { ScriptedPolicy } from '../policy.ts';
import { ShopButton } from './actions.ts';
import type { ShopCatalog } from './catalog.ts';
import { findSatisfyingProducts, ShopGoalSchema } from './goal.ts';
import type { ShopGoal } from './goal.ts';
import { parseShopView } from './parse-view.ts';
import { normalizeText } from '../tokenize.ts';
import type { ShopView } from './view.ts';

interface ExpertPlan {
  readonly goal: ShopGoal;
  /** Ids of the products that earn reward 1. */
  readonly satisfying: ReadonlySet<string>;
  /** A title to search for when the goal's keywords did not surface a satisfying product. */
  readonly fallbackQuery: string | undefined;
}

export interface ShopExpertOptions {
  /** Results pages to look through before searching again; 3 by default. */
  readonly maxResultPages?: number;
}

/**
 * A scripted oracle for `shop`: it reads the task's goal and the catalog to know which products satisfy it, then
 * acts like a careful shopper: searches the goal's keywords, pages through results for a satisfying product (or
 * searches that product's title), selects the goal's options and buys. It acts only through ordinary actions, so its
 * trajectories are valid demonstrations.
 *
 * @example
 * const expert = createShopExpert(shop.catalog);
 * const action = await expert.act({ task, observation, admissibleActions, history: [], rng });
 */
export function createShopExpert(catalog: ShopCatalog, options: ShopExpertOptions = {}): ScriptedPolicy {
  const maxPages = options.maxResultPages ?? 3;
  const plans = new WeakMap<Task, ExpertPlan>();
  const planFor = (task: Task): ExpertPlan => {
    let plan = plans.get(task);
    if (!plan) {
      const goal = ShopGoalSchema.parse(task.goal);
      const products = findSatisfyingProducts(catalog, goal);
      plan = { goal, satisfying: new Set(products.map((p) => p.id)), fallbackQuery: products[0]?.title };
      plans.set(task, plan);
    }
    return plan;
  };

  return {
    kind: 'expert',
    act({ task, observation, history }) {
      const plan = planFor(task);
      const view = (observation.data as ShopView | undefined) ?? parseShopView(observation.text);
      const anyProductWill = plan.satisfying.size === 0;
      switch (view.page) {
        case 'search': {
          const searched = history.some((h) => h.action.startsWith('search['));
          const keywords = [...plan.goal.attributes, plan.goal.productType].join(' ');
          return `search[${normalizeText(searched && plan.fallbackQuery ? plan.fallbackQuery : keywords)}]`;
        }
        case 'results': {
          const hit = view.results.find((r) => anyProductWill || plan.satisfying.has(r.id));
          if (hit) return `click[${hit.id}]`;
          if (view.pageIndex < Math.min(view.pageCount, maxPages)) return `click[${ShopButton.next}]`;
          return `click[${ShopButton.backToSearch}]`;
        }
        case 'item': {
          if (!anyProductWill && !plan.satisfying.has(view.item.id)) return `click[${ShopButton.prev}]`;
          for (const option of view.item.options) {
            const wanted = plan.goal.options[option.name];
            if (wanted !== undefined && option.selected !== wanted && option.values.includes(wanted)) {
              return `click[${wanted}]`;
            }
          }
          return `click[${ShopButton.buyNow}]`;
        }
        default:
          return `click[${ShopButton.buyNow}]`;
      }
    },
  };
}
