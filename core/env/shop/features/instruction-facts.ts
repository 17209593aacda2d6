import { instructionWords, statedPriceBound, type InstructionWords } from '../../instruction-words.ts';

export { coverage, INSTRUCTION_FILLER } from '../../instruction-words.ts';

/** What the built-in policy's features read from a shopping instruction: its words and its price bound. */
export interface InstructionFacts extends InstructionWords {
  /** The price bound in dollars, when the instruction states one. */
  readonly budget: number | undefined;
}

/**
 * @example
 * const facts = instructionFacts('find me cotton t-shirt with color: red, and size: m, and price lower than 30.00 dollars');
 * facts.subject;      // {'cotton', 't-shirt'}
 * facts.optionValues; // {'red', 'm'}
 * facts.budget;       // 30
 */
export function instructionFacts(instruction: string): InstructionFacts {
  return { ...instructionWords(instruction), budget: statedPriceBound(instruction) };
}
