import type { Rng } from '../random.ts';

export interface ProposedAction {
  readonly action: string;
  /** `uniform`, or `policy@<temperature>`. */
  readonly proposer: string;
}

/**
 * The K alternative actions of one expert state: the policy's proposals first (in the order they were sampled), then
 * uniform samples without replacement from the admissible actions, until K are chosen. Alternatives are distinct and
 * never the expert action, compared the way environments read actions (case and spacing ignored). Fewer than K come
 * back only when the proposals and the admissible actions hold fewer distinct non-expert actions.
 *
 * @example
 * chooseAlternatives({ expertAction: 'click[P1]', admissible: ['click[P1]', 'click[P2]', 'click[next >]'], k: 4, rng });
 * // [{ action: 'click[next >]', proposer: 'uniform' }, { action: 'click[P2]', proposer: 'uniform' }]: only two exist
 */
export function chooseAlternatives(options: {
  expertAction: string;
  admissible: readonly string[];
  k: number;
  rng: Rng;
  proposals?: readonly ProposedAction[];
}): ProposedAction[] {
  const taken = new Set([sameAction(options.expertAction)]);
  const chosen: ProposedAction[] = [];
  const offer = (candidate: ProposedAction) => {
    const key = sameAction(candidate.action);
    if (chosen.length >= options.k || key === '' || taken.has(key)) return;
    taken.add(key);
    chosen.push(candidate);
  };
  for (const proposal of options.proposals ?? []) offer(proposal);
  if (chosen.length < options.k) {
    for (const action of options.rng.shuffle(options.admissible)) offer({ action, proposer: 'uniform' });
  }
  return chosen;
}

/** The form two actions are compared in: trimmed, lower case, single spaces. */
export function sameAction(action: string): string {
  return action.trim().toLowerCase().replace(/\s+/g, ' ');
}
