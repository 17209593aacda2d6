import { fillActionTemplates } from '../../env/action-templates.ts';
import type { AgentGymProfile } from '../../env/agentgym/profiles/index.ts';
import type { Task } from '../../env/environment.ts';
import { shopAdmissibleActions } from '../../env/shop/admissible.ts';
import { readShopInstruction } from '../../env/shop/instruction.ts';
import { tryParseShopView } from '../../env/shop/parse-view.ts';

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

/** Environments whose states are free text: everything is readable, nothing is listed, nothing is terminal. */
export const freeTextStateReader: StateReader = {
  read: () => ({ readable: true, admissibleActions: undefined, terminal: false }),
};

/** The reader for an environment label (`shop`, or anything else as free text). */
export function stateReaderFor(envLabel: string, productTypes?: ReadonlySet<string>): StateReader {
  return envLabel === 'shop' ? createShopStateReader(productTypes) : freeTextStateReader;
}

/**
 * States of an AgentGym server for synthetic sessions. A predicted state that equals a state the server answered
 * in the recorded data offers what it offered then; any other is read by the profile from its text (WebShop's
 * buttons, product ids and search bar), with templates filled from the task's instruction. Nothing is terminal
 * except what the profile reads as such (the experience model's `done` ends episodes).
 *
 * @example
 * const reader = createRecordedStateReader(buffer.transitions(), webshopProfile);
 */
export function createRecordedStateReader(
  recorded: Iterable<{ readonly state: string; readonly admissibleActions?: readonly string[] }>,
  profile: Pick<AgentGymProfile, 'readOffer'>,
): StateReader {
  const offers = new Map<string, string[]>();
  for (const t of recorded) if (t.admissibleActions && !offers.has(t.state)) offers.set(t.state, [...t.admissibleActions]);
  return {
    read(state, task) {
      const known = offers.get(state);
      const offer = profile.readOffer?.(state);
      if (known && known.length > 0) return { readable: true, admissibleActions: known, terminal: offer?.terminal ?? false };
      if (!offer) return { readable: true, admissibleActions: known, terminal: false };
      const filled = fillActionTemplates(offer.templates, task.instruction, state);
      return { readable: true, admissibleActions: offer.terminal ? [] : [...offer.actions, ...filled], terminal: offer.terminal };
    },
  };
}
