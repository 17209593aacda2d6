import type { StateAgreement } from '../../env/environment-kind.ts';

export type { StateAgreement, StateComparison } from '../../env/environment-kind.ts';

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
