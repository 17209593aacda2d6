import type { LlmEndpointConfig } from '../../config/config.ts';
import { OpenAIEmbedder, type TextEmbedder } from '../../llm/embeddings.ts';
import { HashedTextEmbedder } from './hashed-embedder.ts';
import { OnnxSentenceEmbedder } from './onnx-sentence-embedder.ts';

/** The three φ(s, a) encoders the replay buffer can use. */
export type EmbedderSpec =
  | { readonly kind: 'hashed'; readonly dimension?: number }
  | { readonly kind: 'onnx'; readonly modelPath: string; readonly vocabPath?: string; readonly maxLength?: number }
  | { readonly kind: 'openai'; readonly endpoint: Omit<LlmEndpointConfig, 'role'> };

/**
 * Opens the embedder a spec names: the built-in hashed one (no model), an ONNX sentence-embedding model file, or
 * any OpenAI-compatible `/v1/embeddings` endpoint.
 *
 * @example
 * const embedder = await openTextEmbedder({ kind: 'onnx', modelPath: 'models/minilm/model.onnx' });
 * const buffer = await ReplayBuffer.open({ store, id: 'shop-main', embedder });
 */
export async function openTextEmbedder(spec: EmbedderSpec): Promise<TextEmbedder> {
  switch (spec.kind) {
    case 'hashed':
      return new HashedTextEmbedder({ dimension: spec.dimension });
    case 'onnx':
      return OnnxSentenceEmbedder.open(spec);
    case 'openai':
      return new OpenAIEmbedder(spec.endpoint);
  }
}
