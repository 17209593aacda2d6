import { searchCandidates, ShopButton } from './actions.ts';
import type { ShopGoal } from './goal.ts';
import type { ShopView } from './view.ts';

/**
 * The admissible actions of a shop state, computed from its view and the task's goal alone, so a state predicted
 * by an experience model (parsed with `parseShopView`) offers the same actions the real environment would.
 *
 * @example
 * shopAdmissibleActions(parseShopView(predictedText), task.goal); // ['click[P0012]', …, 'click[back to search]']
 */
export function shopAdmissibleActions(view: ShopView, goal: ShopGoal): string[] {
  const back = `click[${ShopButton.backToSearch}]`;
  switch (view.page) {
    case 'search':
      return searchCandidates(goal);
    case 'results': {
      const actions = view.results.map((r) => `click[${r.id}]`);
      if (view.pageIndex < view.pageCount) actions.push(`click[${ShopButton.next}]`);
      if (view.pageIndex > 1) actions.push(`click[${ShopButton.prev}]`);
      actions.push(back);
      return actions;
    }
    case 'item': {
      const values = view.item.options.flatMap((option) => option.values.map((v) => `click[${v}]`));
      return [...values, `click[${ShopButton.buyNow}]`, `click[${ShopButton.prev}]`, back];
    }
    case 'done':
    case 'failed':
      return [];
  }
}
