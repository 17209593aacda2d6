import OpenAI from 'openai';
import type { z } from 'zod';
import type { LlmEndpointConfig } from '../config/config.ts';
import { recordLlm } from './accounting.ts';
import type { ChatMessage, ChatModel, ChatResult, CompletionOptions, StructuredResult } from './chat-model.ts';
import { LlmOutputError, LlmUnavailableError } from './errors.ts';
import { retryWithBackoff } from './retry.ts';
import { endpointGate, type Semaphore } from './semaphore.ts';
import { parseStructured, responseFormatFor } from './structured.ts';
import { TokenLedger, type CallUsage } from './usage.ts';

export interface OpenAIChatModelOptions extends Omit<LlmEndpointConfig, 'role'> {
  role: string;
  /** Backoff base for retries; tests shorten it. */
  retryBaseDelayMs?: number;
}

/**
 * A chat model behind any OpenAI-compatible server (vLLM, SGLang, Ollama, llama.cpp, OpenAI), through the `openai`
 * SDK. Adds what a pipeline needs around each call: a shared per-endpoint concurrency limit, bounded retries with
 * backoff on 429/5xx/timeouts, structured output with a repair retry, and token accounting.
 *
 * @example
 * const teacher = new OpenAIChatModel({ ...config.llm.teacher!, role: 'teacher' });
 * const { value } = await teacher.completeStructured(messages, AnnotationSchema, { name: 'annotation' });
 */
export class OpenAIChatModel implements ChatModel {
  readonly role: string;
  readonly model: string;
  readonly ledger = new TokenLedger();
  readonly sampling: { readonly temperature?: number; readonly maxTokens?: number };
  private readonly client: OpenAI;
  private readonly gate: Semaphore;
  private readonly options: OpenAIChatModelOptions;

  constructor(options: OpenAIChatModelOptions) {
    this.options = options;
    this.role = options.role;
    this.model = options.model;
    this.sampling = { temperature: options.temperature, maxTokens: options.maxTokens };
    this.gate = endpointGate(options.baseUrl, options.concurrency);
    this.client = new OpenAI({ baseURL: options.baseUrl, apiKey: options.apiKey, timeout: options.timeoutMs, maxRetries: 0 });
  }

  async complete(messages: readonly ChatMessage[], options: CompletionOptions = {}): Promise<ChatResult> {
    return this.request(messages, options);
  }

  async completeStructured<T>(
    messages: readonly ChatMessage[],
    schema: z.ZodType<T>,
    options: CompletionOptions & { name?: string } = {},
  ): Promise<StructuredResult<T>> {
    const format = responseFormatFor(options.name ?? 'answer', schema);
    const conversation = [...messages];
    const total: CallUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0, latencyMs: 0, attempts: 0 };
    for (let repairs = 0; ; repairs++) {
      const { text, usage } = await this.request(conversation, options, format);
      addUsage(total, usage);
      const parsed = parseStructured(text, schema);
      if (parsed.ok) return { value: parsed.value, usage: total, repairs };
      if (repairs >= this.options.repairRetries) {
        this.ledger.recordSchemaFailure();
        recordLlm(this.role, { schemaFailures: 1 });
        throw new LlmOutputError(`${this.role} model answer does not match the schema "${format.json_schema.name}": ${parsed.problem}`, text);
      }
      this.ledger.recordRepair();
      conversation.push(
        { role: 'assistant', content: text },
        {
          role: 'user',
          content: `Your answer does not match the required JSON schema (${parsed.problem}). Reply again with only one JSON object that matches the schema.`,
        },
      );
    }
  }

  private async request(
    messages: readonly ChatMessage[],
    options: CompletionOptions,
    responseFormat?: ReturnType<typeof responseFormatFor>,
  ): Promise<ChatResult> {
    const started = performance.now();
    let tries = 1;
    try {
      const { value: completion, attempts } = await retryWithBackoff(
        () =>
          this.gate.run(() =>
            this.client.chat.completions.create({
              model: this.model,
              messages: messages.map((m) => ({ role: m.role, content: m.content })),
              temperature: options.temperature ?? this.sampling.temperature,
              max_tokens: options.maxTokens ?? this.sampling.maxTokens,
              seed: options.seed,
              stop: options.stop,
              response_format: responseFormat,
            }),
          ),
        {
          maxRetries: this.options.maxRetries,
          baseDelayMs: this.options.retryBaseDelayMs,
          isRetryable: isTransient,
          retryAfterMs,
          onRetry: () => {
            tries++;
            this.ledger.recordRetry();
            recordLlm(this.role, { retries: 1 });
          },
        },
      );
      const text = completion.choices?.[0]?.message?.content;
      if (typeof text !== 'string') {
        throw new LlmOutputError(`${this.role} model returned no message content`, JSON.stringify(completion).slice(0, 2000));
      }
      const usage: CallUsage = {
        promptTokens: completion.usage?.prompt_tokens ?? 0,
        completionTokens: completion.usage?.completion_tokens ?? 0,
        totalTokens: completion.usage?.total_tokens ?? 0,
        latencyMs: performance.now() - started,
        attempts,
      };
      this.ledger.record(usage);
      recordLlm(this.role, { calls: 1, promptTokens: usage.promptTokens, completionTokens: usage.completionTokens });
      return { text, usage };
    } catch (error) {
      this.ledger.recordFailure();
      recordLlm(this.role, { calls: 1, failures: 1 });
      if (error instanceof LlmOutputError) throw error;
      const after = tries > 1 ? ` after ${tries} attempts` : '';
      throw new LlmUnavailableError(`${this.role} model at ${this.options.baseUrl} failed${after}: ${describe(error)}`, {
        cause: error,
        details: { role: this.role, baseUrl: this.options.baseUrl, attempts: tries },
      });
    }
  }
}

/** 408, 409, 429, 5xx, timeouts and dropped connections are worth retrying; other 4xx are the request's fault. */
export function isTransient(error: unknown): boolean {
  if (error instanceof OpenAI.APIConnectionError) return true;
  if (error instanceof OpenAI.APIError) {
    const status = error.status ?? 0;
    return status === 408 || status === 409 || status === 429 || status >= 500;
  }
  // A body that is not JSON surfaces as a SyntaxError from the SDK: a broken proxy or server, worth one more try.
  return error instanceof SyntaxError;
}

function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof OpenAI.APIError) || !error.headers) return undefined;
  const header = error.headers.get('retry-after-ms') ?? undefined;
  if (header !== undefined && Number.isFinite(Number(header))) return Number(header);
  const seconds = error.headers.get('retry-after');
  return seconds !== null && Number.isFinite(Number(seconds)) ? Number(seconds) * 1000 : undefined;
}

function addUsage(total: CallUsage, usage: CallUsage): void {
  total.promptTokens += usage.promptTokens;
  total.completionTokens += usage.completionTokens;
  total.totalTokens += usage.totalTokens;
  total.latencyMs += usage.latencyMs;
  total.attempts += usage.attempts;
}

function describe(error: unknown): string {
  if (error instanceof OpenAI.APIError && error.status) {
    // The SDK's message already starts with the status ("500 internal error").
    const message = error.message.startsWith(String(error.status)) ? error.message.slice(String(error.status).length).trim() : error.message;
    return `HTTP ${error.status} ${message}`;
  }
  // The SDK's "Connection error." hides why; the cause (ECONNREFUSED, ENOTFOUND) is what a user can act on.
  if (error instanceof OpenAI.APIConnectionError) {
    const cause = rootCause(error);
    return cause && cause !== error.message ? `${error.message} (${cause})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

function rootCause(error: unknown): string | undefined {
  let current: unknown = (error as { cause?: unknown }).cause;
  let found: string | undefined;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    found = code ? `${code}${current.message.includes(code) ? '' : `: ${current.message}`}` : current.message;
    current = (current as { cause?: unknown }).cause;
  }
  return found;
}
