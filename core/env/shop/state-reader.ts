import type { StateReader } from '../environment-kind.ts';
import { shopAdmissibleActions } from './admissible.ts';
import { readShopInstruction } from './instruction.ts';
import { tryParseShopView } from './parse-view.ts';

/**
 * `shop` states for synthetic sessions: parsed with `parseShopView`; admissible actions by the shop's published
 * action grammar from what the page shows (results ids, option values, buttons) and, on the search page, the
 * searches the real environment offers for a goal, with the goal read from the task's *instruction* (never its
 * hidden goal data), `productTypes` telling type from attribute; done and failed pages terminal.
 *
 * @example
 * createShopStateReader(new Set(['t-shirt'])).read('page: search', task); // { readable: true, admissibleActions: ['search[…]', …], terminal: false }
 */
export function createShopStateReader(productTypes: ReadonlySet<string> = new Set()): StateReader {
  return {
    read(state, task) {
      const view = tryParseShopView(state);
      if (!view) return { readable: false };
      const terminal = view.page === 'done' || view.page === 'failed';
      const goal = readShopInstruction(task.instruction, productTypes);
      const admissibleActions = terminal ? [] : goal ? shopAdmissibleActions(view, goal) : undefined;
      return { readable: true, admissibleActions, terminal };
    },
  };
}

/** `createShopStateReader` without a product-type vocabulary (the last word of the subject is the type). */
export const shopStateReader: StateReader = createShopStateReader();
