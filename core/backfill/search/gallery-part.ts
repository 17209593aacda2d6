import { InvalidInputError } from '../../errors.ts';
import type { FeatureMatrix } from '../features.ts';

/**
 * A block of gallery features. `indices[row]` is the gallery-wide item index of each row (rows are items
 * 0..rows-1 when it is absent); search results report these indices, never row numbers.
 */
export interface GalleryPart {
  readonly features: FeatureMatrix;
  readonly indices?: Int32Array | Uint32Array;
}

/** The gallery index of a row. */
export function itemIndex(part: GalleryPart, row: number): number {
  return part.indices ? part.indices[row] : row;
}

/** Checks that `indices`, when present, has one entry per row. */
export function assertGalleryPart(part: GalleryPart, what: string): void {
  if (part.indices && part.indices.length !== part.features.rows) {
    throw new InvalidInputError(`${what} has ${part.features.rows} feature rows but ${part.indices.length} indices`);
  }
}
