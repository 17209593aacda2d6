import type { Rng } from '../random.ts';

/**
 * Free-text actions. An environment publishes templates with one `<slot>` (WebShop's `search[<query>]`); policies
 * turn them into actions by filling the slot. The built-in fillers propose queries from the instruction, or, when
 * it is empty, from the instruction the state shows.
 */

const STOPWORDS = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'buy', 'can', 'could', 'dollars', 'find', 'for', 'from', 'get', 'have',
  'i', 'im', "i'm", 'in', 'is', 'it', 'looking', 'lower', 'me', 'my', 'need', 'of', 'on', 'or', 'please', 'price',
  'show', 'some', 'than', 'that', 'the', 'this', 'to', 'under', 'want', 'which', 'will', 'with', 'would', 'you',
  'your', 'instruction', 'less', 'up', 'should', 'also', 'go', 'do', 'what', 'where',
]);

/** Content words of an instruction, in order, without repeats, stopwords or figures. */
export function instructionKeywords(instruction: string): string[] {
  const words = instruction.toLowerCase().match(/[a-z0-9]+(?:[-'][a-z0-9]+)*/g) ?? [];
  const seen = new Set<string>();
  return words.filter((w) => !STOPWORDS.has(w) && !/^\d+(?:\.\d+)?$/.test(w) && !seen.has(w) && (seen.add(w), true));
}

/** The instruction a state text shows (`Instruction: [SEP] …` or `Instruction: …`), if any. */
export function instructionInState(state: string): string {
  const sep = /instruction:?\s*\[SEP\]\s*([^[]+?)\s*(?:\[SEP\]|$)/i.exec(state);
  if (sep) return sep[1];
  return /instruction:\s*([^\n]+)/i.exec(state)?.[1] ?? '';
}

/** The slot value proposals a template gets: every keyword, the first five, the first three. */
export function proposeQueries(instruction: string, state: string): string[] {
  const words = instructionKeywords(instruction.trim() === '' ? instructionInState(state) : instruction);
  if (words.length === 0) return [];
  const proposals = [words.slice(0, 12), words.slice(0, 5), words.slice(0, 3)].map((w) => w.join(' '));
  return [...new Set(proposals)];
}

/**
 * The actions the templates offer, filled with the proposed queries.
 *
 * @example
 * fillActionTemplates(['search[<query>]'], 'i need a red cotton t-shirt, price lower than 30 dollars', '');
 * // ['search[red cotton t-shirt]', 'search[red cotton]']  (fewer than three keywords: the longer proposals coincide)
 */
export function fillActionTemplates(templates: readonly string[], instruction: string, state: string): string[] {
  if (templates.length === 0) return [];
  const queries = proposeQueries(instruction, state);
  return templates.flatMap((template) => queries.map((query) => fillSlot(template, query)));
}

/** One template filled with a random subset of the keywords (the uniform policy's free text). */
export function randomFill(template: string, instruction: string, state: string, rng: Rng): string {
  const words = instructionKeywords(instruction.trim() === '' ? instructionInState(state) : instruction);
  const picked = words.filter(() => rng.next() < 0.5);
  return fillSlot(template, (picked.length > 0 ? picked : words.slice(0, 1)).join(' '));
}

/** Whether `action` is an instance of `template` with a non-empty slot. */
export function matchesTemplate(template: string, action: string): boolean {
  const at = template.search(/<[a-z_]+>/i);
  if (at === -1) return template === action.trim();
  const end = template.indexOf('>', at) + 1;
  const prefix = template.slice(0, at).toLowerCase();
  const suffix = template.slice(end).toLowerCase();
  const text = action.trim();
  const lower = text.toLowerCase();
  return lower.startsWith(prefix) && lower.endsWith(suffix) && text.length > prefix.length + suffix.length
    && text.slice(prefix.length, text.length - suffix.length).trim() !== '';
}

function fillSlot(template: string, value: string): string {
  return template.replace(/<[a-z_]+>/i, value);
}
