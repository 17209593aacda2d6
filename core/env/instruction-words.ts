import { tokenize } from './tokenize.ts';

/** What features read of any instruction's words, parsed once per episode. */
export interface InstructionWords {
  /** Content words of what is asked for (its head), before the first qualifier ("with …", a price phrase). */
  readonly subject: ReadonlySet<string>;
  /** Every content word. */
  readonly words: ReadonlySet<string>;
  /** Values named as "<name>: <value>". */
  readonly optionValues: ReadonlySet<string>;
}

/** Words instructions share whatever they ask for (openings, glue, the price phrase). */
export const INSTRUCTION_FILLER: ReadonlySet<string> = new Set(['i', 'need', 'am', 'looking', 'for', 'find', 'me', 'want', 'to', 'buy', 'show', 'a', 'an',
  'the', 'with', 'and', 'price', 'lower', 'than', 'dollars', 'of', 'in']);

/**
 * The content words of an instruction, whatever the environment: filler and numbers left out, the head before its
 * qualifiers, and the values it names as "<name>: <value>".
 *
 * @example
 * const words = instructionWords('find me cotton t-shirt with color: red, and size: m, and price lower than 30.00 dollars');
 * words.subject;      // {'cotton', 't-shirt'}
 * words.optionValues; // {'red', 'm'}
 */
export function instructionWords(instruction: string): InstructionWords {
  const text = instruction.toLowerCase();
  const cut = text.search(/\bwith\b|,?\s*and price\b|\bprice lower\b/);
  const subjectText = cut === -1 ? text : text.slice(0, cut);
  const optionValues = new Set<string>();
  for (const match of text.matchAll(/([a-z][a-z ]*?):\s*([^,]+?)(?=,|$)/g)) optionValues.add(match[2].trim());
  return {
    subject: new Set(tokenize(subjectText).filter((w) => !INSTRUCTION_FILLER.has(w))),
    words: new Set(tokenize(text).filter((w) => !INSTRUCTION_FILLER.has(w) && !/^\d+(\.\d+)?$/.test(w))),
    optionValues,
  };
}

/**
 * The price bound a shopping instruction states ("price lower than 30.00 dollars", "less than $30"), in dollars;
 * read by both shopping kinds (the built-in shop, WebShop).
 *
 * @example
 * statedPriceBound('a red shirt, and price lower than 30.00 dollars'); // 30
 */
export function statedPriceBound(instruction: string): number | undefined {
  const match = /(?:lower|less) than \$?(\d+(?:\.\d+)?)/.exec(instruction.toLowerCase());
  return match ? Number(match[1]) : undefined;
}

/** Share of `wanted` found in `have` (1 when nothing is wanted). */
export function coverage(wanted: ReadonlySet<string>, have: Iterable<string>): number {
  if (wanted.size === 0) return 1;
  const present = new Set(have);
  let hits = 0;
  for (const word of wanted) if (present.has(word)) hits++;
  return hits / wanted.size;
}
