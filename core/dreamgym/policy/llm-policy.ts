import type { ChatModel } from '../../llm/chat-model.ts';
import type { Policy } from './policy.ts';
import { observationMessage, policySystemMessage } from './prompt.ts';
import { parseReAct } from './react.ts';

export interface LlmPolicyOptions {
  /** Environment rules for the system prompt: the environment kind's `rules`. */
  readonly rules: string;
  /** Sampling temperature; 1 for rollouts (exploration), 0 for evaluation. */
  readonly temperature?: number;
  readonly maxTokens?: number;
}

/**
 * A policy behind any OpenAI-compatible chat endpoint, prompted ReAct-style. The conversation the model is sent is
 * exactly the trajectory's messages, so a trainer trains on what the model saw. An answer without a parseable
 * action yields no action (the rollout's invalid-action path); the endpoint's own failures propagate, and the group
 * keeps them as failed rollouts.
 *
 * @example
 * const policy = createLlmPolicy(runtime.chat('policy')!, { rules: environmentKind('shop').rules, temperature: 1 });
 * const trajectory = await rollout(policy, task);
 */
export function createLlmPolicy(chat: ChatModel, options: LlmPolicyOptions): Policy {
  const system = policySystemMessage(options.rules);
  return {
    kind: 'llm',
    version: chat.model,
    begin: () => [system],
    observe: observationMessage,
    async act({ messages }) {
      const { text } = await chat.complete(messages.map(({ role, content }) => ({ role, content })), {
        temperature: options.temperature ?? 1,
        maxTokens: options.maxTokens ?? 256,
      });
      const parsed = parseReAct(text);
      return { reply: text, action: parsed.ok ? parsed.action : undefined };
    },
  };
}
