import { describe, expect, it } from 'vitest';
import { NotFoundError, InvalidInputError } from '../../core/errors.ts';
import { commitBatch, readBatchObject, readManifest } from '../../core/store/batch.ts';
import type { Store } from '../../core/store/store.ts';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function collect(store: Store, prefix: string, startAfter?: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of store.list(prefix, startAfter === undefined ? undefined : { startAfter })) keys.push(info.key);
  return keys;
}

async function* chunks(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield new TextEncoder().encode(part);
}

/** The behaviour every store adapter must have; each adapter's test file runs it against a fresh store. */
export function describeStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    it('reads back what it wrote, as bytes and as a stream', async () => {
      const store = await open();
      await store.put('a/b/c.txt', 'hello');
      await store.put('a/bin', new Uint8Array([0, 255, 7]));
      expect(text(await store.get('a/b/c.txt'))).toBe('hello');
      expect([...(await store.get('a/bin'))]).toEqual([0, 255, 7]);
      const parts: Uint8Array[] = [];
      for await (const chunk of await store.getStream('a/b/c.txt')) parts.push(chunk);
      expect(text(Buffer.concat(parts))).toBe('hello');
    });

    it('overwrites an object whole with put', async () => {
      const store = await open();
      await store.put('k', 'first version, longer');
      await store.put('k', 'second');
      expect(text(await store.get('k'))).toBe('second');
    });

    it('writes a streamed object', async () => {
      const store = await open();
      await store.putStream('s/big.txt', chunks('one,', 'two,', 'three'));
      expect(text(await store.get('s/big.txt'))).toBe('one,two,three');
      expect((await store.head('s/big.txt'))?.size).toBe(13);
    });

    it('reports a missing object as NotFoundError naming the key', async () => {
      const store = await open();
      await expect(store.get('nope/x.json')).rejects.toThrow(NotFoundError);
      await expect(store.get('nope/x.json')).rejects.toThrow(/nope\/x\.json/);
      await expect(store.getStream('nope/x.json')).rejects.toThrow(NotFoundError);
      expect(await store.head('nope/x.json')).toBeUndefined();
    });

    it('lists by prefix in key order, not matching siblings that only share a leading substring of a folder', async () => {
      const store = await open();
      for (const key of ['runs/r2/a', 'runs/r1/b', 'runs/r1/a', 'runs10/x', 'other/y']) await store.put(key, key);
      expect(await collect(store, 'runs/')).toEqual(['runs/r1/a', 'runs/r1/b', 'runs/r2/a']);
      expect(await collect(store, 'runs')).toEqual(['runs/r1/a', 'runs/r1/b', 'runs/r2/a', 'runs10/x']);
      expect(await collect(store, 'runs/r1/')).toEqual(['runs/r1/a', 'runs/r1/b']);
      expect(await collect(store, 'missing/')).toEqual([]);
    });

    it('resumes a listing after a key (StartAfter), skipping whole folders before it', async () => {
      const store = await open();
      for (const key of ['runs/r2/a', 'runs/r1/b', 'runs/r1/a', 'runs/r3/a', 'runs10/x']) await store.put(key, key);
      expect(await collect(store, 'runs/', 'runs/r1/a')).toEqual(['runs/r1/b', 'runs/r2/a', 'runs/r3/a']);
      expect(await collect(store, 'runs/', 'runs/r1/b')).toEqual(['runs/r2/a', 'runs/r3/a']);
      expect(await collect(store, 'runs/', 'runs/r2')).toEqual(['runs/r2/a', 'runs/r3/a']);
      expect(await collect(store, 'runs/', 'runs/r3/a')).toEqual([]);
    });

    it('deletes objects, and deleting a missing one is not an error', async () => {
      const store = await open();
      await store.put('d/x', '1');
      await store.delete('d/x');
      await store.delete('d/x');
      expect(await store.head('d/x')).toBeUndefined();
    });

    it('writes create-only with putIfAbsent', async () => {
      const store = await open();
      expect(await store.putIfAbsent('lock', 'first')).toBe(true);
      expect(await store.putIfAbsent('lock', 'second')).toBe(false);
      expect(text(await store.get('lock'))).toBe('first');
    });

    it('refuses keys that escape the store or have empty segments', async () => {
      const store = await open();
      await expect(store.put('../escape', 'x')).rejects.toThrow(InvalidInputError);
      await expect(store.put('a//b', 'x')).rejects.toThrow(InvalidInputError);
      await expect(store.get('/abs')).rejects.toThrow(InvalidInputError);
    });

    it('commits a batch through a manifest written last and never recommits it', async () => {
      const store = await open();
      expect(await readManifest(store, 'batches/b1')).toBeUndefined();
      const first = await commitBatch(store, 'batches/b1', [
        { name: 'data.jsonl', body: '{"x":1}\n' },
        { name: 'ids.json', body: '[1]' },
      ], { items: 1 });
      const again = await commitBatch(store, 'batches/b1', [{ name: 'data.jsonl', body: 'DIFFERENT' }]);
      expect(again).toEqual(first);
      expect(text(await readBatchObject(store, first, 'data.jsonl'))).toBe('{"x":1}\n');
      expect((await readManifest(store, 'batches/b1'))?.meta).toEqual({ items: 1 });
    });

    it('detects a committed object that was changed after commit', async () => {
      const store = await open();
      const manifest = await commitBatch(store, 'batches/b2', [{ name: 'data', body: 'original' }]);
      await store.put('batches/b2/data', 'tampered');
      await expect(readBatchObject(store, manifest, 'data')).rejects.toThrow(/corrupt/);
    });
  });
}
