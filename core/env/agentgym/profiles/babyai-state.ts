/**
 * BabyAI's observation text as `agentenv-babyai` writes it, read into its parts: an optional `Your goal: …` line (the
 * reset's first state), the answer to the last action, and the `Available actions: [...]` list that ends every
 * observation. The answer is one of
 * - `view`: the room described after a move ("In front of you in this room, you can see several objects: …
 *   You are not carrying anything." / "You are carrying a red key."), with " The task is completed." once done;
 * - `listing`: the answer to "check available actions" ("You can take the following actions: …");
 * - `refusal`: any other text, the server's answer to an action it could not run ("There is a barrier in front of
 *   you, you can't move forward.", "The action is not recognized. Please check valid actions."); the room is unchanged.
 */
export type BabyAIAnswer = 'view' | 'listing' | 'refusal';

export interface BabyAIState {
  readonly goal: string | undefined;
  readonly answer: BabyAIAnswer;
  /** The answer's text (without the goal line, the completion sentence and the action list). */
  readonly body: string;
  readonly completed: boolean;
  /** What a view says the agent carries (`red key`), null for nothing; undefined for answers that do not say. */
  readonly carrying: string | null | undefined;
  readonly actions: readonly string[];
}

const ACTIONS_LINE = /\n?Available actions: (\[[^\n]*\])\s*$/;
const COMPLETED = /\s*The task is completed\.\s*$/;

/** The state's parts, or undefined when the text does not end with BabyAI's action list. */
export function parseBabyAIState(text: string): BabyAIState | undefined {
  const tail = ACTIONS_LINE.exec(text);
  if (!tail) return undefined;
  let actions: unknown;
  try {
    actions = JSON.parse(tail[1]);
  } catch {
    return undefined;
  }
  if (!Array.isArray(actions) || !actions.every((a) => typeof a === 'string')) return undefined;
  let rest = text.slice(0, tail.index);
  const goal = /^Your goal: ([^\n]*)\n/.exec(rest);
  if (goal) rest = rest.slice(goal[0].length);
  const completed = COMPLETED.test(rest);
  const body = rest.replace(COMPLETED, '').trim();
  const answer: BabyAIAnswer = body.startsWith('In front of you') ? 'view' : body.startsWith('You can take the following actions') ? 'listing' : 'refusal';
  const carried = /You are carrying an? ([^.]+)\./.exec(body)?.[1];
  const carrying = answer !== 'view' ? undefined : carried ?? (/You are not carrying anything/.test(body) ? null : undefined);
  return { goal: goal?.[1].trim(), answer, body, completed, carrying, actions };
}

/** BabyAI's observation from its parts, in the server's format (a goal line only where given). */
export function renderBabyAIState(state: Omit<BabyAIState, 'answer' | 'carrying'>): string {
  const goal = state.goal !== undefined ? `Your goal: ${state.goal}\n` : '';
  const done = state.completed ? '\n The task is completed.' : '';
  return `${goal}${state.body}${done}\nAvailable actions: [${state.actions.map((a) => JSON.stringify(a)).join(', ')}]`;
}

/** The object an action names (`go to red ball 1` → `red ball 1`), if it names one. */
export function babyaiActionObject(action: string): string | undefined {
  return /^(?:go to|pickup|pick up|toggle and go through|go through)\s+(.+)$/i.exec(action.trim())?.[1];
}

/** The action with its object replaced by `<object>`, so refusals learned for one object apply to another. */
export function babyaiActionShape(action: string): string {
  const object = babyaiActionObject(action);
  const trimmed = action.trim().toLowerCase();
  return object ? trimmed.slice(0, trimmed.length - object.length) + '<object>' : trimmed;
}
