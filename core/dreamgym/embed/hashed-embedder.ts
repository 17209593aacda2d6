import { InvalidInputError } from '../../errors.ts';
import type { TextEmbedder } from '../../llm/embeddings.ts';

const TOKEN = /[a-z0-9]+(?:[.'-][a-z0-9]+)*/g;

export interface HashedEmbedderOptions {
  /** Length of the vectors; 512 by default. Larger means fewer hash collisions and bigger `.npy` shards. */
  readonly dimension?: number;
}

/**
 * A text embedder that needs no model: word unigrams and within-line bigrams, hashed into `dimension` buckets with
 * sublinear term frequency (1 + ln tf), then L2-normalised. Weights are never negative and a text touches only a
 * few dozen buckets, so vectors are sparse and the replay buffer can index them with inverted lists.
 *
 * @example
 * const embedder = new HashedTextEmbedder({ dimension: 512 });
 * const [a, b] = await embedder.embed(['page: search\naction: search[red shirt]', 'search[red t-shirt]']);
 */
export class HashedTextEmbedder implements TextEmbedder {
  readonly name = 'hashed-v1';
  readonly dimension: number;

  constructor(options: HashedEmbedderOptions = {}) {
    const dimension = options.dimension ?? 512;
    if (!Number.isInteger(dimension) || dimension < 2 || dimension > 1 << 20) {
      throw new InvalidInputError(`hashed embedder dimension must be an integer from 2 to ${1 << 20}, got ${dimension}`);
    }
    this.dimension = dimension;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embedOne(text));
  }

  /** The synchronous core of `embed`, for hot paths that embed one query at a time. */
  embedOne(text: string): Float32Array {
    const counts = new Map<number, number>();
    const add = (bucket: number) => counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    for (const line of text.toLowerCase().split('\n')) {
      let previous = 0;
      let first = true;
      for (const token of line.match(TOKEN) ?? []) {
        const hash = fnv1a(token);
        add(hash % this.dimension);
        if (!first) add(mix(previous, hash) % this.dimension);
        previous = hash;
        first = false;
      }
    }
    const vector = new Float32Array(this.dimension);
    let norm = 0;
    for (const [bucket, count] of counts) {
      const weight = 1 + Math.log(count);
      vector[bucket] = weight;
      norm += weight * weight;
    }
    if (norm > 0) {
      const scale = 1 / Math.sqrt(norm);
      for (const bucket of counts.keys()) vector[bucket] *= scale;
    }
    return vector;
  }
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** An order-sensitive combination of two token hashes, so `red shirt` and `shirt red` are different bigrams. */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
