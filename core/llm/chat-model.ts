import type { z } from 'zod';
import type { CallUsage, TokenLedger } from './usage.ts';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface CompletionOptions {
  temperature?: number;
  maxTokens?: number;
  seed?: number;
  stop?: string[];
}

export interface ChatResult {
  text: string;
  usage: CallUsage;
}

export interface StructuredResult<T> {
  value: T;
  usage: CallUsage;
  /** Follow-up requests it took to get an answer that fits the schema. */
  repairs: number;
}

/**
 * A chat model of one role (policy, experience model, teacher). The OpenAI-compatible client implements it; tests
 * and the built-in models may provide others.
 */
export interface ChatModel {
  readonly role: string;
  readonly model: string;
  readonly ledger: TokenLedger;
  /** The role's configured sampling, sent where a call sets none (REVERIE_<ROLE>_TEMPERATURE, _MAX_TOKENS). */
  readonly sampling?: { readonly temperature?: number; readonly maxTokens?: number };
  complete(messages: readonly ChatMessage[], options?: CompletionOptions): Promise<ChatResult>;
  /**
   * Asks for JSON matching `schema` (response_format json_schema), parses it tolerantly, and on a mismatch asks
   * again with the problem named, up to the role's repair budget. Throws `LlmOutputError` when it still does not fit.
   */
  completeStructured<T>(
    messages: readonly ChatMessage[],
    schema: z.ZodType<T>,
    options?: CompletionOptions & { name?: string },
  ): Promise<StructuredResult<T>>;
}
