import { LogisticModel, type Features } from './logistic-model.ts';

const ACTION = /^\s*([a-z_]+)\s*\[([\s\S]*)\]\s*$/i;

/**
 * Whether an action is valid in a state, learned from the valid flags of real transitions with a logistic model
 * over generic text features: the action's verb, the state's first line, whether the argument occurs in the state
 * text, the argument's shape (letters and digits collapsed) and, for short arguments, the argument itself. Only the
 * action template `verb[argument]` is assumed (the grammar an environment publishes); which arguments a page
 * accepts is learned. An action outside the template, or with an empty argument, is invalid.
 *
 * @example
 * const validity = new ValidityModel();
 * validity.learn('page: search', 'search[red shirt]', true);
 * validity.probability('page: search', 'search[blue shirt]'); // > 0.5
 */
export class ValidityModel {
  private readonly model = new LogisticModel({ dimension: 1 << 14 });

  get examples(): number {
    return this.model.size;
  }

  learn(state: string, action: string, valid: boolean): void {
    const features = validityFeatures(state, action);
    if (features) this.model.add(features, valid ? 1 : 0);
  }

  /** P(valid); 0 for an action outside the template. */
  probability(state: string, action: string): number {
    const features = validityFeatures(state, action);
    return features ? this.model.predict(features) : 0;
  }
}

/** The generic features of (state, action); undefined when the action is not `verb[non-empty argument]`. */
export function validityFeatures(state: string, action: string): Features | undefined {
  const match = ACTION.exec(action);
  if (!match) return undefined;
  const verb = match[1].toLowerCase();
  const argument = match[2].toLowerCase().replace(/\s+/g, ' ').trim();
  if (argument === '') return undefined;
  const text = state.toLowerCase();
  const page = `${verb}|${text.split('\n', 1)[0].trim()}`;
  const inState = occurs(text, argument) ? 'in' : 'out';
  const shape = argument.replace(/[a-z]+/g, 'a').replace(/[0-9]+/g, '9');
  const features = new Map<string, number>([
    [`v=${verb}`, 1],
    [`p=${page}`, 1],
    [`p=${page}|${inState}`, 1],
    [`p=${page}|shape=${shape}|${inState}`, 1],
  ]);
  if (argument.split(' ').length <= 3 && argument.length <= 24) features.set(`p=${page}|arg=${argument}|${inState}`, 1);
  return features;
}

/** Whether `phrase` occurs in `text` as whole words (delimited by line breaks, spaces or punctuation). */
function occurs(text: string, phrase: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(phrase, from);
    if (at === -1) return false;
    const before = at === 0 ? '' : text[at - 1];
    const after = text[at + phrase.length] ?? '';
    if (!/[a-z0-9]/.test(before) && !/[a-z0-9]/.test(after)) return true;
    from = at + 1;
  }
}
