/**
 * How item ids become usearch keys. usearch finds a key's slot in a linear-probing hash table whose hash of an
 * integer key is the key itself (`std::hash<uint64_t>`), and a removed key stays in the table as a tombstone. A
 * gallery's ids are consecutive, so with ids as keys the table is one run of occupied slots the size of the index,
 * and every `remove` (and every lookup of an absent key that lands in the run) scans to the run's end: a wave of
 * removals cost the gallery's size (1,000 removals: 96 ms at 10k items, 1.76 s at 90k; 0.5–0.6 ms with mixed keys;
 * `bench/backfill/wave-cost`, 64 dims). Keys are therefore a bijective mix of the id (Wellons' `lowbias32` and its
 * inverse, checked over all 2³² values), which spreads consecutive ids over the table.
 */
export const UsearchKeyCodec = {
  /** Ids are the keys: how indexes were stored before the mix (loaded as they are, still slow to remove from). */
  identity: 0,
  /** `lowbias32(id)`. */
  mixed: 1,
} as const;
export type UsearchKeyCodec = (typeof UsearchKeyCodec)[keyof typeof UsearchKeyCodec];

/** The usearch key of an item id (a non-negative 32-bit integer). */
export function usearchKey(codec: UsearchKeyCodec, id: number): bigint {
  return BigInt(codec === UsearchKeyCodec.mixed ? mixId(id) : id);
}

/** The item id of a usearch key (the inverse of `usearchKey`). */
export function itemId(codec: UsearchKeyCodec, key: bigint): number {
  return codec === UsearchKeyCodec.mixed ? unmixId(Number(key)) : Number(key);
}

/** `lowbias32`: a bijection of the 32-bit integers whose output bits each depend on every input bit. */
export function mixId(id: number): number {
  let x = id >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** The inverse of `mixId`. */
export function unmixId(key: number): number {
  let x = key >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x43021123);
  x ^= (x >>> 15) ^ (x >>> 30);
  x = Math.imul(x, 0x1d69e2a5);
  x ^= x >>> 16;
  return x >>> 0;
}
