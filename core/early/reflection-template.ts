import type { BranchOutcome, BranchRecord } from './branch-record.ts';

/** The name every template-written SR record carries, so nobody mistakes it for an LLM's reflection. */
export const TEMPLATE_REFLECTION = 'grounded-template-v1';

/**
 * A reflection written without an LLM, from the observed outcomes only: what each alternative and the expert action
 * led to (invalid, episode over with its reward, back to a state already seen, a new state), then which of those
 * facts make the expert action the better choice. It never claims anything the branches did not show.
 *
 * @example
 * templateReflection(branch);
 * // 'Observed from this state:\n- click[back to search] returns to a state already seen in this episode (page: search).\n…'
 */
export function templateReflection(branch: BranchRecord): string {
  const { expert, alternatives } = branch;
  const lines = ['Observed from this state:'];
  for (const outcome of [...alternatives, expert]) lines.push(`- ${outcome.action} ${describeOutcome(outcome, branch.state)}.`);
  const reasons: string[] = [];
  const invalid = alternatives.filter((a) => !a.valid);
  const lower = alternatives.filter((a) => a.valid && a.done && a.reward < expertValue(branch));
  const back = alternatives.filter((a) => a.valid && !a.done && a.revisits);
  const elsewhere = alternatives.filter((a) => a.valid && !a.done && !a.revisits);
  if (invalid.length > 0) reasons.push(`${list(invalid)} ${invalid.length === 1 ? 'is' : 'are'} not possible here and would end the episode with reward 0`);
  if (lower.length > 0) reasons.push(`${list(lower)} would end the episode with a lower reward (${lower.map((a) => a.reward).join(', ')})`);
  if (back.length > 0) reasons.push(`${list(back)} would undo progress by going back to a state already seen`);
  if (elsewhere.length > 0) reasons.push(`${list(elsewhere)} would lead away from the states on the path that reached reward ${branch.episodeReward}`);
  const expertPart = expert.done
    ? `${expert.action} finishes the task with reward ${expert.reward}`
    : `${expert.action} leads to a new state from which the episode went on to reach reward ${branch.episodeReward}`;
  const asGood = alternatives.filter((a) => a.valid && a.done && a.reward >= expertValue(branch));
  if (alternatives.length === 0) {
    lines.push(`No other action was available here; ${expertPart}.`);
    return lines.join('\n');
  }
  if (reasons.length > 0) lines.push(`Of the other actions, ${reasons.join('; ')}.`);
  if (asGood.length > 0) lines.push(`${list(asGood)} would also end the episode, with reward ${asGood.map((a) => a.reward).join(', ')}.`);
  lines.push(reasons.length > 0 ? `By contrast, ${expertPart}, so it is the better choice.` : `Choosing ${expertPart}.`);
  return lines.join('\n');
}

/** What the expert action is worth as observed: its reward if it ends the episode, else the reward the episode reached. */
function expertValue(branch: BranchRecord): number {
  return branch.expert.done ? branch.expert.reward : branch.episodeReward;
}

function describeOutcome(outcome: BranchOutcome, state: string): string {
  const shown = headline(outcome.nextState, state);
  if (!outcome.valid) return `is not possible here: the episode ended in failure with reward 0 (${shown})`;
  if (outcome.done) return `ends the episode with reward ${outcome.reward} (${shown})`;
  if (outcome.nextState === state) return `leaves the state unchanged (${shown})`;
  if (outcome.revisits) return `returns to a state already seen in this episode (${shown})`;
  return `leads to ${shown}`;
}

/** The next state's first line and the first lines that differ from the current state, on one line, bounded. */
function headline(next: string, current: string): string {
  const [first, ...rest] = next.split('\n');
  const before = new Set(current.split('\n'));
  const text = [first, ...rest.filter((line) => !before.has(line)).slice(0, 2)].join('; ');
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

function list(outcomes: readonly BranchOutcome[]): string {
  return outcomes.map((o) => o.action).join(', ');
}
