import type { Task } from '../env/environment.ts';
import { shopAdmissibleActions } from '../env/shop/admissible.ts';
import { ShopGoalSchema } from '../env/shop/goal.ts';
import { tryParseShopView } from '../env/shop/parse-view.ts';

export type StateReading =
  | { readonly readable: true; readonly admissibleActions: string[] | undefined; readonly terminal: boolean }
  | { readonly readable: false };

/**
 * Reads a predicted state the way the real environment would present it: whether it is a well-formed state, which
 * actions it offers and whether it ends the episode. Synthetic sessions need it because an experience model only
 * writes text.
 */
export interface StateReader {
  read(state: string, task: Task): StateReading;
}

/**
 * `shop` states: parsed with `parseShopView`, admissible actions from `shopAdmissibleActions` with the task's goal
 * (the same the real environment offers), done and failed pages terminal.
 *
 * @example
 * shopStateReader.read('page: search', task); // { readable: true, admissibleActions: ['search[…]', …], terminal: false }
 */
export const shopStateReader: StateReader = {
  read(state, task) {
    const view = tryParseShopView(state);
    if (!view) return { readable: false };
    const terminal = view.page === 'done' || view.page === 'failed';
    const goal = ShopGoalSchema.safeParse(task.goal);
    const admissibleActions = terminal ? [] : goal.success ? shopAdmissibleActions(view, goal.data) : undefined;
    return { readable: true, admissibleActions, terminal };
  },
};

/** Environments whose states are free text: everything is readable, nothing is listed, nothing is terminal. */
export const freeTextStateReader: StateReader = {
  read: () => ({ readable: true, admissibleActions: undefined, terminal: false }),
};

/** The reader for an environment label (`shop`, or anything else as free text). */
export function stateReaderFor(envLabel: string): StateReader {
  return envLabel === 'shop' ? shopStateReader : freeTextStateReader;
}
