import { describe, expect, it } from 'vitest';
import { HashedTextEmbedder } from '../../../core/dreamgym/embed/hashed-embedder.ts';

const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);

describe('the hashed text embedder', () => {
  it('gives unit-length, non-negative, sparse vectors of its dimension', async () => {
    // Prepare
    const embedder = new HashedTextEmbedder({ dimension: 512 });
    // Act
    const [vector] = await embedder.embed(['page: results\nquery: red cotton t-shirt\nP0001: acme cotton t-shirt $12.50']);
    // Assess
    expect(vector).toHaveLength(512);
    expect(norm(vector)).toBeCloseTo(1, 6);
    expect(vector.every((x) => x >= 0)).toBe(true);
    expect(vector.filter((x) => x > 0).length).toBeLessThan(40);
  });

  it('embeds the same text to the same vector and similar texts closer than unrelated ones', async () => {
    // Prepare
    const embedder = new HashedTextEmbedder();
    // Act
    const [a, again, near, far] = await embedder.embed([
      'page: search\naction: search[red cotton t-shirt]', 'page: search\naction: search[red cotton t-shirt]',
      'page: search\naction: search[blue cotton t-shirt]', 'page: item\nprice: $99.00\naction: click[buy now]',
    ]);
    // Assess
    expect(again).toEqual(a);
    expect(dot(a, near)).toBeGreaterThan(dot(a, far));
  });

  it('tells word order apart through bigrams', () => {
    // Prepare
    const embedder = new HashedTextEmbedder();
    // Act
    const similarity = dot(embedder.embedOne('cotton shirt red'), embedder.embedOne('red cotton shirt'));
    // Assess
    expect(similarity).toBeLessThan(0.999);
    expect(similarity).toBeGreaterThan(0.5);
  });

  it('gives the empty text a zero vector instead of dividing by zero', () => {
    expect(new HashedTextEmbedder({ dimension: 8 }).embedOne('  ').every((x) => x === 0)).toBe(true);
  });

  it('refuses a dimension that is not a usable integer', () => {
    expect(() => new HashedTextEmbedder({ dimension: 1.5 })).toThrow(/dimension must be an integer/);
  });
});
