import { hashSeed } from '../../random.ts';
import type { TextEmbedder } from '../../llm/embeddings.ts';
import { INSTRUCTION_FILLER } from '../../env/instruction-words.ts';
import { tokenize } from '../../env/tokenize.ts';

/**
 * A model-free embedder for clustering task instructions when no embeddings endpoint is configured: hashed counts of
 * the words that carry content (openings like "find me" and the price phrase left out), unit length. Instructions
 * that ask for similar things share a direction, which is all PPO grouping needs.
 *
 * @example
 * const [v] = await hashedWordEmbedder(256).embed(['find me a red cotton t-shirt']);
 */
export function hashedWordEmbedder(dimension = 256): TextEmbedder {
  return {
    name: `hashed-words-${dimension}`,
    dimension,
    async embed(texts) {
      return texts.map((text) => {
        const v = new Float32Array(dimension);
        for (const word of tokenize(text)) if (!INSTRUCTION_FILLER.has(word)) v[hashSeed(word) % dimension] += 1;
        const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
        return v.map((x) => x / norm);
      });
    },
  };
}
