import { InvalidInputError } from '../../../errors.ts';
import type { FeatureMatrix } from '../../features.ts';
import type { SearchHit } from '../exact-search.ts';

/** The vector-index implementations Reverie ships: `REVERIE_VECTOR_INDEX`. */
export const VectorIndexKind = { exact: 'exact', usearch: 'usearch', s3vectors: 's3vectors' } as const;
export type VectorIndexKind = (typeof VectorIndexKind)[keyof typeof VectorIndexKind];
export const VECTOR_INDEX_KINDS: readonly VectorIndexKind[] = Object.values(VectorIndexKind);

export interface VectorSearchOptions {
  /** Only items for which this returns true are returned. */
  readonly filter?: (id: number) => boolean;
}

/**
 * One space's vectors, keyed by gallery item index (a non-negative 32-bit integer), searched by inner product (the
 * cosine for unit vectors; higher is closer). Adapters: `ExactIndex` (a full scan, the reference), `UsearchIndex`
 * (HNSW in process) and the S3 Vectors adapter (the vectors stay in the service). Every method is async so that a
 * remote index fits; in-process adapters resolve at once.
 *
 * Adding an id that is present replaces its vector; removing an absent id is not an error.
 */
export interface VectorIndex {
  readonly kind: VectorIndexKind;
  readonly dim: number;
  /** Whether `search` may miss true neighbours (then callers ask for more candidates than they need). */
  readonly approximate: boolean;
  /** The largest `k` one search may ask for (S3 Vectors: 100); undefined when unlimited. */
  readonly maxK?: number;
  add(ids: Int32Array, vectors: FeatureMatrix): Promise<void>;
  remove(ids: Int32Array): Promise<void>;
  /** Top `k` per query row, best first. */
  search(queries: FeatureMatrix, k: number, options?: VectorSearchOptions): Promise<SearchHit[][]>;
  size(): Promise<number>;
  /** The index as bytes for the store (`loadVectorIndex` reads them back); undefined when the index lives in a service. */
  serialize(): Promise<Uint8Array | undefined>;
}

/**
 * Makes empty indexes of one kind and loads stored ones. `name` names the index (a gallery part) for kinds that live
 * in a service; `bytes` is what `serialize` returned (undefined for those kinds: the service holds the vectors).
 */
export interface VectorIndexFactory {
  readonly kind: VectorIndexKind;
  create(name: string, dim: number): Promise<VectorIndex>;
  load(name: string, dim: number, bytes: Uint8Array | undefined): Promise<VectorIndex>;
}

/** The bytes a serializing kind needs to load, named in the error when they are missing. */
export function requireBytes(bytes: Uint8Array | undefined, kind: string): Uint8Array {
  if (!bytes) throw new InvalidInputError(`a ${kind} index loads from its serialized bytes; none were stored`);
  return bytes;
}
