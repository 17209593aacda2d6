import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as Usearch from 'usearch';
import type { Index as UsearchNative, Matches } from 'usearch';
import { InvalidInputError, UnavailableError } from '../../../errors.ts';
import type { FeatureMatrix } from '../../features.ts';
import type { SearchHit } from '../exact-search.ts';
import { assertBatch } from './exact-index.ts';
import { assertId } from './id-slots.ts';
import { itemId, UsearchKeyCodec, usearchKey } from './usearch-keys.ts';
import { requireBytes, VectorIndexKind, type VectorIndex, type VectorIndexFactory, type VectorSearchOptions } from './vector-index.ts';

/** HNSW parameters (usearch's names). Defaults measured in bench/backfill/ann-compare.ts. */
export interface UsearchOptions {
  /** Graph degree M. */
  readonly connectivity?: number;
  /** Candidate list size while inserting (efConstruction). */
  readonly expansionAdd?: number;
  /** Candidate list size while searching (ef). */
  readonly expansionSearch?: number;
  /** Threads used by `add` (0: all cores). Search runs on one thread: it is called per request. */
  readonly addThreads?: number;
  /**
   * How ids become usearch keys (`usearch-keys.ts`): mixed by default; identity is how indexes were stored before
   * (loaded that way, and kept so that `bench/backfill/wave-cost` can show the difference).
   */
  readonly keyCodec?: UsearchKeyCodec;
}

export const USEARCH_DEFAULTS = { connectivity: 16, expansionAdd: 128, expansionSearch: 128, addThreads: 0, keyCodec: UsearchKeyCodec.mixed } as const;

/** "RUK1": the header of serialized bytes, then a u32 key codec, then usearch's file. Bytes without it are identity-keyed. */
const MAGIC = 0x52554b31;
const HEADER_BYTES = 8;

/**
 * Approximate index in process: usearch's HNSW graph over float32 vectors with the inner-product metric. usearch
 * ships prebuilt binaries inside its npm package (nothing is compiled or downloaded at install), adds batches on
 * several threads, removes by key (marking the node deleted; search skips it) and saves to a file, which `serialize`
 * reads back as bytes. Ids are mixed into keys so that a removal costs the same at any index size (`usearch-keys.ts`).
 */
export class UsearchIndex implements VectorIndex {
  readonly kind = VectorIndexKind.usearch;
  readonly approximate = true;
  readonly dim: number;
  private readonly index: UsearchNative;
  private readonly options: Required<UsearchOptions>;
  private codec: UsearchKeyCodec;

  constructor(dim: number, options: UsearchOptions = {}) {
    if (!(Number.isInteger(dim) && dim > 0)) throw new InvalidInputError(`index dimension must be a positive integer, got ${dim}`);
    this.dim = dim;
    this.options = { ...USEARCH_DEFAULTS, ...options };
    this.codec = this.options.keyCodec;
    const usearch = loadUsearch();
    this.index = new usearch.Index({
      dimensions: dim,
      metric: usearch.MetricKind.IP,
      quantization: usearch.ScalarKind.F32,
      connectivity: this.options.connectivity,
      expansion_add: this.options.expansionAdd,
      expansion_search: this.options.expansionSearch,
      multi: false,
    });
  }

  async add(ids: Int32Array, vectors: FeatureMatrix): Promise<void> {
    assertBatch(ids, vectors, this.dim);
    if (ids.length === 0) return;
    ids.forEach(assertId);
    const keys = this.keys(ids);
    // usearch refuses a key it holds; adding means replacing, as in the port.
    const present = this.index.contains(keys) as boolean[];
    if (present.some(Boolean)) this.index.remove(keys.filter((_, i) => present[i]));
    this.index.add(keys, vectors.data.subarray(0, ids.length * this.dim), this.options.addThreads);
  }

  async remove(ids: Int32Array): Promise<void> {
    if (ids.length === 0) return;
    this.index.remove(this.keys(ids));
  }

  private keys(ids: Int32Array): BigUint64Array {
    return BigUint64Array.from(ids, (id) => usearchKey(this.codec, id));
  }

  async search(queries: FeatureMatrix, k: number, options: VectorSearchOptions = {}): Promise<SearchHit[][]> {
    if (!Number.isInteger(k) || k < 0) throw new InvalidInputError(`k must be a non-negative integer, got ${k}`);
    if (queries.dim !== this.dim) throw new InvalidInputError(`query features have dimension ${queries.dim}, the index ${this.dim}`);
    const size = this.index.size();
    const out: SearchHit[][] = [];
    for (let q = 0; q < queries.rows; q++) {
      const query = queries.data.subarray(q * this.dim, (q + 1) * this.dim);
      out.push(k === 0 || size === 0 ? [] : this.searchOne(query, k, size, options.filter));
    }
    return out;
  }

  /** With a filter, asks for more until `k` pass or the whole index was asked for. */
  private searchOne(query: Float32Array, k: number, size: number, filter?: (id: number) => boolean): SearchHit[] {
    for (let want = Math.min(size, filter ? 4 * k : k); ; want = Math.min(size, want * 4)) {
      const matches = this.index.search(query, want, 1) as Matches;
      const hits: SearchHit[] = [];
      for (let i = 0; i < matches.keys.length && hits.length < k; i++) {
        const id = itemId(this.codec, matches.keys[i]);
        if (!filter || filter(id)) hits.push({ index: id, score: Math.fround(1 - matches.distances[i]) });
      }
      if (hits.length === k || want === size) return hits;
    }
  }

  async size(): Promise<number> {
    return this.index.size();
  }

  /** An empty index serializes to no bytes: loading usearch's file of an empty index corrupted the heap here. */
  async serialize(): Promise<Uint8Array> {
    if (this.index.size() === 0) return new Uint8Array(0);
    return withTempFile(async (file) => {
      this.index.save(file);
      const saved = await fs.readFile(file);
      const out = new Uint8Array(HEADER_BYTES + saved.byteLength);
      const view = new DataView(out.buffer);
      view.setUint32(0, MAGIC, true);
      view.setUint32(4, this.codec, true);
      out.set(saved, HEADER_BYTES);
      return out;
    });
  }

  static async load(dim: number, bytes: Uint8Array, options: UsearchOptions = {}): Promise<UsearchIndex> {
    const index = new UsearchIndex(dim, options);
    if (bytes.byteLength === 0) return index;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headed = bytes.byteLength >= HEADER_BYTES && view.getUint32(0, true) === MAGIC;
    if (headed) {
      const codec = view.getUint32(4, true);
      if (codec !== UsearchKeyCodec.identity && codec !== UsearchKeyCodec.mixed) throw new InvalidInputError(`serialized usearch index has unknown key codec ${codec}`);
      index.codec = codec;
    } else {
      index.codec = UsearchKeyCodec.identity;
    }
    await withTempFile(async (file) => {
      await fs.writeFile(file, headed ? bytes.subarray(HEADER_BYTES) : bytes);
      try {
        index.index.load(file);
      } catch (error) {
        throw new InvalidInputError(`not a usearch index of dimension ${dim}: ${(error as Error).message}`, { cause: error });
      }
    });
    if (index.index.dimensions() !== dim) throw new InvalidInputError(`serialized usearch index has dimension ${index.index.dimensions()}, expected ${dim}`);
    return index;
  }
}

let usearchModule: typeof Usearch | undefined;

/**
 * usearch and its native addon load on the first approximate index, not at import: the runtime every handler shares
 * imports this file, and only a process that builds or loads a usearch index should pay for (or ship) the addon.
 */
function loadUsearch(): typeof Usearch {
  if (usearchModule) return usearchModule;
  try {
    usearchModule = createRequire(import.meta.url)('usearch') as typeof Usearch;
  } catch (cause) {
    throw new UnavailableError(`usearch is not installed or could not load its native addon: ${(cause as Error).message}`, { cause });
  }
  return usearchModule;
}

async function withTempFile<T>(run: (file: string) => Promise<T>): Promise<T> {
  const file = path.join(os.tmpdir(), `reverie-usearch-${randomUUID()}.bin`);
  try {
    return await run(file);
  } finally {
    await fs.rm(file, { force: true });
  }
}

export function usearchIndexFactory(options: UsearchOptions = {}): VectorIndexFactory {
  return {
    kind: VectorIndexKind.usearch,
    create: async (_name, dim) => new UsearchIndex(dim, options),
    load: async (_name, dim, bytes) => UsearchIndex.load(dim, requireBytes(bytes, VectorIndexKind.usearch), options),
  };
}
