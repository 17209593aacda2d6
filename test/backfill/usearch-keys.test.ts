import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type * as Usearch from 'usearch';
import { describe, expect, it } from 'vitest';
import { clusteredUnitVectors } from '../../core/backfill/datasets/clustered-vectors.ts';
import { selectRows } from '../../core/backfill/features.ts';
import { UsearchIndex } from '../../core/backfill/search/index/usearch-index.ts';
import { itemId, mixId, unmixId, UsearchKeyCodec, usearchKey } from '../../core/backfill/search/index/usearch-keys.ts';
import { InvalidInputError } from '../../core/errors.ts';

const usearch = createRequire(import.meta.url)('usearch') as typeof Usearch;
const N = 2000, DIM = 16;
const { vectors } = clusteredUnitVectors({ rows: N, dim: DIM, clusters: 20, seed: 3 });
const ids = Int32Array.from({ length: N }, (_, i) => i);

/** The longest run of occupied slots after inserting `keys` into a linear-probing table with usearch's identity hash. */
function longestRun(keys: readonly number[], capacity: number): number {
  const used = new Uint8Array(capacity);
  for (const key of keys) {
    let slot = key & (capacity - 1);
    while (used[slot]) slot = (slot + 1) & (capacity - 1);
    used[slot] = 1;
  }
  let longest = 0, run = 0;
  for (let i = 0; i < 2 * capacity; i++) {
    run = used[i % capacity] ? run + 1 : 0;
    longest = Math.max(longest, Math.min(run, capacity));
  }
  return longest;
}

/** A raw usearch index read from the usearch file inside `UsearchIndex.serialize`'s bytes (after its header). */
async function rawIndex(bytes: Uint8Array, header: number): Promise<Usearch.Index> {
  const file = path.join(os.tmpdir(), `reverie-usearch-test-${process.pid}-${header}.bin`);
  await fs.writeFile(file, bytes.subarray(header));
  const raw = new usearch.Index({ dimensions: DIM, metric: usearch.MetricKind.IP, quantization: usearch.ScalarKind.F32, connectivity: 16, expansion_add: 64, expansion_search: 64, multi: false });
  raw.load(file);
  await fs.rm(file, { force: true });
  return raw;
}

describe('usearch keys', () => {
  it('mix ids bijectively: every sampled id and the edges of the 32-bit range come back', () => {
    const sample = [0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, ...Array.from({ length: 100_000 }, (_, i) => (i * 2654435761) >>> 0)];
    for (const id of sample) expect(unmixId(mixId(id))).toBe(id);
    expect(new Set(Array.from({ length: 100_000 }, (_, i) => mixId(i))).size).toBe(100_000);
    expect(itemId(UsearchKeyCodec.mixed, usearchKey(UsearchKeyCodec.mixed, 123456))).toBe(123456);
    expect(usearchKey(UsearchKeyCodec.identity, 77)).toBe(77n);
  });

  it('spread consecutive ids over a linear-probing table (identity keys make one run the size of the gallery)', () => {
    const consecutive = Array.from({ length: 20_000 }, (_, i) => 40_000 + i);
    expect(longestRun(consecutive, 32_768)).toBe(20_000);
    expect(longestRun(consecutive.map(mixId), 32_768)).toBeLessThan(200);
  });
});

describe('UsearchIndex keys', () => {
  it('hands usearch mixed keys, not the ids (the ids-as-keys index scanned the whole gallery per removal)', async () => {
    const index = new UsearchIndex(DIM);
    await index.add(ids, vectors);
    const bytes = (await index.serialize())!;
    const raw = await rawIndex(bytes, 8);
    expect(raw.size()).toBe(N);
    const keys = BigUint64Array.from([5, 6, 1999], (id) => BigInt(mixId(id)));
    expect(raw.contains(keys)).toEqual([true, true, true]);
    const mixed = new Set(Array.from(ids, mixId));
    const plain = [5, 6, 1999].filter((id) => !mixed.has(id));
    expect(raw.contains(BigUint64Array.from(plain, BigInt))).toEqual(plain.map(() => false));
  });

  it('never returns deleted ids after a reload, and keeps adding and removing by id', async () => {
    const index = new UsearchIndex(DIM);
    await index.add(ids, vectors);
    const deleted = Int32Array.from({ length: 600 }, (_, i) => (i * 7) % N);
    await index.remove(deleted);
    const back = await UsearchIndex.load(DIM, (await index.serialize())!);
    const gone = new Set(deleted);
    expect(await back.size()).toBe(N - gone.size);
    const everything = await back.search(selectRows(vectors, Array.from({ length: 40 }, (_, i) => i * 50)), 300);
    expect(everything.flat().some((h) => gone.has(h.index))).toBe(false);
    expect(everything.flat().every((h) => h.index >= 0 && h.index < N)).toBe(true);
    await back.add(Int32Array.of(7), selectRows(vectors, [7]));
    await back.remove(Int32Array.of(8));
    const [self7, self8] = await back.search(selectRows(vectors, [7, 8]), 1);
    expect(self7[0].index).toBe(7);
    expect(self8[0].index).not.toBe(8);
  });

  it('loads indexes stored before the mix (a bare usearch file of id keys) with their ids, and refuses an unknown codec', async () => {
    const legacy = new usearch.Index({ dimensions: DIM, metric: usearch.MetricKind.IP, quantization: usearch.ScalarKind.F32, connectivity: 16, expansion_add: 64, expansion_search: 64, multi: false });
    legacy.add(BigUint64Array.from(ids, BigInt), vectors.data, 1);
    const file = path.join(os.tmpdir(), `reverie-usearch-legacy-${process.pid}.bin`);
    legacy.save(file);
    const bytes = new Uint8Array(await fs.readFile(file));
    await fs.rm(file, { force: true });
    const back = await UsearchIndex.load(DIM, bytes);
    await back.remove(Int32Array.of(11));
    const [self10, self11] = await back.search(selectRows(vectors, [10, 11]), 1);
    expect(self10[0].index).toBe(10);
    expect(self11[0].index).not.toBe(11);
    const again = await rawIndex((await back.serialize())!, 8);
    expect(again.contains(BigUint64Array.of(10n))).toEqual([true]);
    await expect(UsearchIndex.load(DIM, await headed(9))).rejects.toThrow(InvalidInputError);
    await expect(UsearchIndex.load(DIM, await headed(9))).rejects.toThrow(/unknown key codec 9/);
  });
});

/** A serialized index whose header names key codec `codec`. */
async function headed(codec: number): Promise<Uint8Array> {
  const index = new UsearchIndex(DIM);
  await index.add(ids.subarray(0, 10), selectRows(vectors, Array.from({ length: 10 }, (_, i) => i)));
  const bytes = (await index.serialize())!;
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(4, codec, true);
  return bytes;
}
