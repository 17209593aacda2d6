import OpenAI from 'openai';
import type { LlmEndpointConfig } from '../config/config.ts';
import { recordLlm } from './accounting.ts';
import { LlmUnavailableError } from './errors.ts';
import { isTransient } from './openai-chat-model.ts';
import { retryWithBackoff } from './retry.ts';
import { endpointGate, type Semaphore } from './semaphore.ts';
import { TokenLedger } from './usage.ts';

/** Text embedder port: one unit-length vector per input text. */
export interface TextEmbedder {
  readonly name: string;
  readonly dimension: number | undefined;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

/**
 * Embeddings from any OpenAI-compatible `/v1/embeddings` endpoint, normalised to unit length.
 *
 * @example
 * const embedder = new OpenAIEmbedder({ ...config.llm.embeddings! });
 * const [v] = await embedder.embed(['search[red shirt]']);
 */
export class OpenAIEmbedder implements TextEmbedder {
  readonly name: string;
  readonly ledger = new TokenLedger();
  dimension: number | undefined;
  private readonly client: OpenAI;
  private readonly gate: Semaphore;
  private readonly options: Omit<LlmEndpointConfig, 'role'> & { retryBaseDelayMs?: number; batchSize?: number };

  constructor(options: Omit<LlmEndpointConfig, 'role'> & { retryBaseDelayMs?: number; batchSize?: number }) {
    this.options = options;
    this.name = `openai:${options.model}`;
    this.gate = endpointGate(options.baseUrl, options.concurrency);
    this.client = new OpenAI({ baseURL: options.baseUrl, apiKey: options.apiKey, timeout: options.timeoutMs, maxRetries: 0 });
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const batchSize = this.options.batchSize ?? 64;
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += batchSize) out.push(...(await this.embedBatch(texts.slice(i, i + batchSize))));
    return out;
  }

  private async embedBatch(texts: readonly string[]): Promise<Float32Array[]> {
    const started = performance.now();
    try {
      const { value, attempts } = await retryWithBackoff(
        () => this.gate.run(() => this.client.embeddings.create({ model: this.options.model, input: [...texts], encoding_format: 'float' })),
        {
          maxRetries: this.options.maxRetries,
          baseDelayMs: this.options.retryBaseDelayMs,
          isRetryable: isTransient,
          onRetry: () => {
            this.ledger.recordRetry();
            recordLlm('embeddings', { retries: 1 });
          },
        },
      );
      this.ledger.record({
        promptTokens: value.usage?.prompt_tokens ?? 0,
        completionTokens: 0,
        totalTokens: value.usage?.total_tokens ?? 0,
        latencyMs: performance.now() - started,
        attempts,
      });
      recordLlm('embeddings', { calls: 1, promptTokens: value.usage?.prompt_tokens ?? 0 });
      const vectors = [...value.data].sort((a, b) => a.index - b.index).map((d) => normalise(Float32Array.from(d.embedding)));
      if (vectors.length !== texts.length) throw new LlmUnavailableError(`embeddings endpoint returned ${vectors.length} vectors for ${texts.length} inputs`);
      this.dimension ??= vectors[0]?.length;
      return vectors;
    } catch (error) {
      this.ledger.recordFailure();
      recordLlm('embeddings', { calls: 1, failures: 1 });
      if (error instanceof LlmUnavailableError) throw error;
      throw new LlmUnavailableError(`embeddings model at ${this.options.baseUrl} failed: ${(error as Error).message}`, { cause: error });
    }
  }
}

function normalise(v: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i] * v[i];
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}
