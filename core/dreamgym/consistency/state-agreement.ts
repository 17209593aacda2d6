/** The verdict on one predicted state against the real one. */
export interface StateComparison {
  readonly agree: boolean;
  /** What differs, field by field (empty when they agree). */
  readonly differences: readonly string[];
}

/** A definition of "the same abstract state" for one environment's text format. */
export interface StateAgreement {
  readonly name: string;
  compare(predicted: string, real: string): StateComparison;
  /** A short label of a state (its page), for per-kind breakdowns. */
  label(state: string): string;
}

/**
 * Agreement for environments without a parsed format: the same text once line ends, runs of spaces and the case
 * of letters are normalised.
 */
export const textStateAgreement: StateAgreement = {
  name: 'text',
  compare(predicted, real) {
    const agree = normalizeText(predicted) === normalizeText(real);
    return { agree, differences: agree ? [] : ['text differs'] };
  },
  label: () => 'state',
};

function normalizeText(text: string): string {
  return text.replace(/\r\n/g, '\n').split('\n').map((line) => line.trim().replace(/\s+/g, ' ')).join('\n').trim().toLowerCase();
}
