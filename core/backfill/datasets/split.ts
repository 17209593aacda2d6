import { InvalidInputError } from '../../errors.ts';
import { hashSeed } from '../../random.ts';
import type { ImageSet } from './image-set.ts';

/** Indices into an ImageSet for each part of a split; the parts are disjoint and each is in ascending order. */
export interface ImageSplit {
  /** Images the embedding models (and ψ) are trained on; never searched or used as queries. */
  readonly train: Uint32Array;
  /** Images held in the searchable gallery that gets backfilled. */
  readonly gallery: Uint32Array;
  /** Held-out query images: not in the gallery, not in train. */
  readonly query: Uint32Array;
}

export interface SplitOptions {
  /** Seed of the split; the same seed and ids always give the same split. Default 2023. */
  readonly seed?: number;
  /** Share of each class that becomes queries. Default 0.02 (1,400 of Fashion-MNIST's 70,000). */
  readonly queryFraction?: number;
  /** Share of each class that becomes gallery. Default 0.28 (19,600 of 70,000); the rest is train (70%). */
  readonly galleryFraction?: number;
}

export const DEFAULT_SPLIT = { seed: 2023, queryFraction: 0.02, galleryFraction: 0.28 } as const;

/**
 * Splits a set into train / gallery / query, stratified by class. Within each class the images are ordered
 * by `hashSeed("<seed>:<id>")`; the first `round(n·queryFraction)` become queries, the next
 * `round(n·galleryFraction)` gallery, the rest train. Because the order comes from ids, not positions, an
 * image keeps its part when the set is loaded in another order or other images are added to other classes.
 *
 * @example
 * const split = splitImageSet(await loadFashionMnist());
 * split.query.length; // 1400, none of them in split.gallery or split.train
 */
export function splitImageSet(set: ImageSet, options: SplitOptions = {}): ImageSplit {
  const seed = options.seed ?? DEFAULT_SPLIT.seed;
  const queryFraction = options.queryFraction ?? DEFAULT_SPLIT.queryFraction;
  const galleryFraction = options.galleryFraction ?? DEFAULT_SPLIT.galleryFraction;
  if (!(queryFraction > 0) || !(galleryFraction > 0) || queryFraction + galleryFraction > 1) {
    throw new InvalidInputError(
      `split fractions must be positive and sum to at most 1, got query ${queryFraction} and gallery ${galleryFraction}`,
    );
  }
  const byLabel = new Map<number, { index: number; key: number }[]>();
  for (let i = 0; i < set.ids.length; i++) {
    const group = byLabel.get(set.labels[i]) ?? [];
    group.push({ index: i, key: hashSeed(`${seed}:${set.ids[i]}`) });
    byLabel.set(set.labels[i], group);
  }
  const train: number[] = [];
  const gallery: number[] = [];
  const query: number[] = [];
  for (const group of byLabel.values()) {
    group.sort((a, b) => a.key - b.key || a.index - b.index);
    const nQuery = Math.round(group.length * queryFraction);
    const nGallery = Math.round(group.length * galleryFraction);
    group.forEach(({ index }, rank) => (rank < nQuery ? query : rank < nQuery + nGallery ? gallery : train).push(index));
  }
  const sorted = (xs: number[]): Uint32Array => Uint32Array.from(xs).sort();
  return { train: sorted(train), gallery: sorted(gallery), query: sorted(query) };
}
