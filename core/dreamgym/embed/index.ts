export { HashedTextEmbedder } from './hashed-embedder.ts';
export type { HashedEmbedderOptions } from './hashed-embedder.ts';
export { meanPool } from './mean-pool.ts';
export { OnnxSentenceEmbedder } from './onnx-sentence-embedder.ts';
export type { OnnxSentenceEmbedderOptions } from './onnx-sentence-embedder.ts';
export { openTextEmbedder } from './open-embedder.ts';
export type { EmbedderSpec } from './open-embedder.ts';
export { WordPieceTokenizer } from './wordpiece-tokenizer.ts';
export type { Encoding, WordPieceOptions } from './wordpiece-tokenizer.ts';
