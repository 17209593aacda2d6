import { InvalidInputError } from '../../../errors.ts';

/**
 * Item id ↔ dense slot, in two typed arrays (4 bytes per slot and per id up to the largest id) rather than a Map, so
 * a gallery of any size fits (V8's Map stops at 2²⁴ entries) and lookups allocate nothing.
 */
export class IdSlots {
  /** `idOf[slot]` for slots `0..count-1`. */
  idOf: Int32Array;
  /** `slotOf[id]`, −1 when absent. */
  slotOf: Int32Array;
  count = 0;

  constructor(capacity = 0) {
    this.idOf = new Int32Array(capacity);
    this.slotOf = new Int32Array(0);
  }

  slot(id: number): number {
    return id < this.slotOf.length ? this.slotOf[id] : -1;
  }

  /** Appends `id` at slot `count` (the caller checked it is absent); returns the slot. */
  append(id: number): number {
    assertId(id);
    if (this.count === this.idOf.length) this.idOf = grow(this.idOf, this.count + 1, 0);
    if (id >= this.slotOf.length) this.slotOf = grow(this.slotOf, id + 1, -1);
    this.idOf[this.count] = id;
    this.slotOf[id] = this.count;
    return this.count++;
  }

  /** Moves the last slot into `slot` (the caller moves its data the same way) and forgets the id that was there. */
  removeAt(slot: number): void {
    const last = this.count - 1;
    this.slotOf[this.idOf[slot]] = -1;
    if (slot !== last) {
      this.idOf[slot] = this.idOf[last];
      this.slotOf[this.idOf[slot]] = slot;
    }
    this.count = last;
  }
}

export function assertId(id: number): void {
  if (!(Number.isInteger(id) && id >= 0 && id <= 0x7fffffff)) throw new InvalidInputError(`vector ids are non-negative 32-bit integers, got ${id}`);
}

/** A copy with room for at least `need` entries (growing by 1.25× so that memory stays near the data). */
export function grow<T extends Int32Array | Float32Array>(array: T, need: number, fill: number): T {
  const next = new (array.constructor as new (n: number) => T)(Math.max(need, Math.ceil(array.length * 1.25), 16));
  next.set(array);
  if (fill !== 0) next.fill(fill, array.length);
  return next;
}
