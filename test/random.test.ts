import { describe, expect, it } from 'vitest';
import { createRng, hashSeed } from '../core/random.ts';

describe('createRng', () => {
  it('repeats the same stream for the same seed and differs across seeds', () => {
    const a = createRng(7), b = createRng(7), c = createRng(8);
    const sa = Array.from({ length: 5 }, () => a.next());
    const sb = Array.from({ length: 5 }, () => b.next());
    const sc = Array.from({ length: 5 }, () => c.next());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('draws integers uniformly enough in range', () => {
    const rng = createRng(1);
    const counts = new Array(4).fill(0);
    for (let i = 0; i < 40_000; i++) counts[rng.int(4)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('forks independent streams by label', () => {
    const rng = createRng(3);
    expect(rng.fork('a').next()).not.toBe(rng.fork('b').next());
    expect(rng.fork('a').next()).toBe(createRng(3).fork('a').next());
  });

  it('refuses int() on a non-positive bound', () => {
    expect(() => createRng(1).int(0)).toThrow(/positive integer/);
  });

  it('hashes strings stably', () => {
    expect(hashSeed('abc')).toBe(hashSeed('abc'));
    expect(hashSeed('abc')).not.toBe(hashSeed('abd'));
  });
});
