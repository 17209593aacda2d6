import { InvalidInputError } from '../../../errors.ts';
import { assertDim, createFeatureMatrix, type FeatureMatrix } from '../../features.ts';
import { searchExact, type SearchHit } from '../exact-search.ts';
import { assertId, grow, IdSlots } from './id-slots.ts';
import { requireBytes, VectorIndexKind, type VectorIndex, type VectorIndexFactory, type VectorSearchOptions } from './vector-index.ts';

const MAGIC = 0x52455831; // "REX1"

/**
 * The reference index: every vector packed in one Float32Array and scanned exactly (`searchExact`), so its memory is
 * the raw vectors plus 8 bytes per item. A removal moves the last row into the freed slot, so the scan stays
 * contiguous and a wave of removals costs its own size.
 */
export class ExactIndex implements VectorIndex {
  readonly kind = VectorIndexKind.exact;
  readonly approximate = false;
  readonly dim: number;
  private data: Float32Array;
  private readonly slots: IdSlots;

  constructor(dim: number, capacity = 0) {
    if (!(Number.isInteger(dim) && dim > 0)) throw new InvalidInputError(`index dimension must be a positive integer, got ${dim}`);
    this.dim = dim;
    this.data = new Float32Array(capacity * dim);
    this.slots = new IdSlots(capacity);
  }

  async add(ids: Int32Array, vectors: FeatureMatrix): Promise<void> {
    assertBatch(ids, vectors, this.dim);
    const { dim } = this;
    const fresh = ids.reduce((n, id) => n + (this.slots.slot(id) < 0 ? 1 : 0), 0);
    if ((this.slots.count + fresh) * dim > this.data.length) this.data = grow(this.data, (this.slots.count + fresh) * dim, 0);
    for (let i = 0; i < ids.length; i++) {
      assertId(ids[i]);
      const existing = this.slots.slot(ids[i]);
      const slot = existing >= 0 ? existing : this.slots.append(ids[i]);
      this.data.set(vectors.data.subarray(i * dim, (i + 1) * dim), slot * dim);
    }
  }

  async remove(ids: Int32Array): Promise<void> {
    const { dim } = this;
    for (const id of ids) {
      const slot = this.slots.slot(id);
      if (slot < 0) continue;
      const last = this.slots.count - 1;
      if (slot !== last) this.data.copyWithin(slot * dim, last * dim, (last + 1) * dim);
      this.slots.removeAt(slot);
    }
  }

  async search(queries: FeatureMatrix, k: number, options: VectorSearchOptions = {}): Promise<SearchHit[][]> {
    const { count, idOf } = this.slots;
    const part = { features: createFeatureMatrix(this.data.subarray(0, count * this.dim), this.dim), indices: idOf.subarray(0, count) };
    const filter = options.filter;
    if (!filter) return searchExact(queries, part, k);
    const rows: number[] = [];
    for (let r = 0; r < count; r++) if (filter(idOf[r])) rows.push(r);
    return searchExact(queries, part, k, { rows: Uint32Array.from(rows) });
  }

  async size(): Promise<number> {
    return this.slots.count;
  }

  /** Bytes held: vectors and both id arrays (for the memory benchmarks). */
  memoryBytes(): number {
    return this.data.byteLength + this.slots.idOf.byteLength + this.slots.slotOf.byteLength;
  }

  /** Layout: u32 magic, u32 dim, u32 count, then `count` i32 ids, then `count·dim` f32 (little-endian). */
  async serialize(): Promise<Uint8Array> {
    const { count } = this.slots;
    const out = new Uint8Array(12 + count * 4 * (1 + this.dim));
    const view = new DataView(out.buffer);
    view.setUint32(0, MAGIC, true);
    view.setUint32(4, this.dim, true);
    view.setUint32(8, count, true);
    new Uint8Array(out.buffer, 12, count * 4).set(new Uint8Array(this.slots.idOf.buffer, 0, count * 4));
    new Uint8Array(out.buffer, 12 + count * 4).set(new Uint8Array(this.data.buffer, 0, count * this.dim * 4));
    return out;
  }

  static async load(dim: number, bytes: Uint8Array): Promise<ExactIndex> {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.byteLength < 12 || view.getUint32(0, true) !== MAGIC) throw new InvalidInputError('not a serialized exact vector index');
    const storedDim = view.getUint32(4, true);
    const count = view.getUint32(8, true);
    if (storedDim !== dim) throw new InvalidInputError(`serialized exact index has dimension ${storedDim}, expected ${dim}`);
    if (bytes.byteLength !== 12 + count * 4 * (1 + dim)) throw new InvalidInputError(`serialized exact index is ${bytes.byteLength} bytes, expected ${12 + count * 4 * (1 + dim)}`);
    const copy = bytes.slice(12);
    const index = new ExactIndex(dim, 0);
    await index.add(new Int32Array(copy.buffer, 0, count), createFeatureMatrix(new Float32Array(copy.buffer, count * 4, count * dim), dim));
    return index;
  }
}

export function assertBatch(ids: Int32Array, vectors: FeatureMatrix, dim: number): void {
  assertDim(vectors, dim, 'index vectors');
  if (ids.length !== vectors.rows) throw new InvalidInputError(`${ids.length} ids for ${vectors.rows} vectors`);
}

export const exactIndexFactory: VectorIndexFactory = {
  kind: VectorIndexKind.exact,
  create: async (_name, dim) => new ExactIndex(dim),
  load: async (_name, dim, bytes) => ExactIndex.load(dim, requireBytes(bytes, VectorIndexKind.exact)),
};
