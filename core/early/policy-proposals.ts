import type { ChatModel } from '../llm/chat-model.ts';
import type { Semaphore } from '../llm/semaphore.ts';
import type { ProposedAction } from './alternatives.ts';
import { parseActionLine, policyMessages } from './policy-prompt.ts';

export interface PolicySampling {
  readonly policy: ChatModel;
  /** Sampling temperatures, used in turn: sample j runs at `temperatures[j % length]`. */
  readonly temperatures: readonly number[];
  /** Bounds the calls in flight within one chunk. */
  readonly gate: Semaphore;
}

/**
 * `count` actions sampled from the policy LLM at the state, by temperature sampling (the paper's WebShop recipe mixes
 * several temperatures). Answers without a readable action are dropped; duplicates and the expert action are left
 * for `chooseAlternatives` to remove. A call that still fails after the client's retries throws, so the chunk is
 * retried rather than silently filled with uniform samples.
 *
 * @example
 * const proposals = await proposeFromPolicy(sampling, { instruction, state, admissible, count: 4, seed: 7 });
 * // [{ action: 'click[P0074]', proposer: 'policy@0.7' }, …]
 */
export async function proposeFromPolicy(
  sampling: PolicySampling,
  at: { instruction: string; state: string; admissible: readonly string[]; count: number; seed: number },
): Promise<ProposedAction[]> {
  const messages = policyMessages(at.instruction, at.state, at.admissible);
  const answers = await Promise.all(Array.from({ length: at.count }, (_, j) => {
    const temperature = sampling.temperatures[j % sampling.temperatures.length];
    return sampling.gate.run(async () => {
      const { text } = await sampling.policy.complete(messages, { temperature, seed: (at.seed + j) >>> 0, maxTokens: 512 });
      const action = parseActionLine(text);
      return action === undefined ? undefined : { action, proposer: `policy@${temperature}` };
    });
  }));
  return answers.filter((answer): answer is ProposedAction => answer !== undefined);
}
