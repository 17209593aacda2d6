import { tokenize } from '../../tokenize.ts';

/** What the built-in policy's features read from an instruction, parsed once per episode. */
export interface InstructionFacts {
  /** Content words of the product description (type and attributes), before "with …" and the price. */
  readonly subject: ReadonlySet<string>;
  /** Every content word. */
  readonly words: ReadonlySet<string>;
  /** Option values named as "<name>: <value>". */
  readonly optionValues: ReadonlySet<string>;
  /** The price bound in dollars, when the instruction states one. */
  readonly budget: number | undefined;
}

/** Words instructions share whatever they ask for (openings, glue, the price phrase). */
export const INSTRUCTION_FILLER: ReadonlySet<string> = new Set(['i', 'need', 'am', 'looking', 'for', 'find', 'me', 'want', 'to', 'buy', 'show', 'a', 'an',
  'the', 'with', 'and', 'price', 'lower', 'than', 'dollars', 'of', 'in']);

/**
 * @example
 * const facts = instructionFacts('find me cotton t-shirt with color: red, and size: m, and price lower than 30.00 dollars');
 * facts.subject;      // {'cotton', 't-shirt'}
 * facts.optionValues; // {'red', 'm'}
 * facts.budget;       // 30
 */
export function instructionFacts(instruction: string): InstructionFacts {
  const text = instruction.toLowerCase();
  const budgetMatch = /(?:lower|less) than \$?(\d+(?:\.\d+)?)/.exec(text);
  const cut = text.search(/\bwith\b|,?\s*and price\b|\bprice lower\b/);
  const subjectText = cut === -1 ? text : text.slice(0, cut);
  const optionValues = new Set<string>();
  for (const match of text.matchAll(/([a-z][a-z ]*?):\s*([^,]+?)(?=,|$)/g)) optionValues.add(match[2].trim());
  return {
    subject: new Set(tokenize(subjectText).filter((w) => !INSTRUCTION_FILLER.has(w))),
    words: new Set(tokenize(text).filter((w) => !INSTRUCTION_FILLER.has(w) && !/^\d+(\.\d+)?$/.test(w))),
    optionValues,
    budget: budgetMatch ? Number(budgetMatch[1]) : undefined,
  };
}

/** Share of `wanted` found in `have` (1 when nothing is wanted). */
export function coverage(wanted: ReadonlySet<string>, have: Iterable<string>): number {
  if (wanted.size === 0) return 1;
  const present = new Set(have);
  let hits = 0;
  for (const word of wanted) if (present.has(word)) hits++;
  return hits / wanted.size;
}
