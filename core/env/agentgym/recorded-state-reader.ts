import { fillActionTemplates } from '../action-templates.ts';
import type { StateReader } from '../environment-kind.ts';
import type { AgentGymProfile } from './profiles/profile.ts';

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
