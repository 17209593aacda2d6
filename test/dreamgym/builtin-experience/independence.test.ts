import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
/** The real environment's machinery: its world, search engine, rules, reward and policies. */
const FORBIDDEN = ['catalog', 'product-types', 'search-index', 'world', 'transition', 'reward', 'episode', 'build-view',
  'shop-environment', 'expert', 'tasks', 'snapshot', 'admissible'].map((name) => path.join(ROOT, 'core/env/shop', `${name}.ts`));

/** Every module a file loads at run time (type-only imports are erased), followed transitively. */
function runtimeImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = fs.readFileSync(file, 'utf8');
  for (const match of source.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?from\s+'(\.[^']+)'/gms)) {
    runtimeImports(path.resolve(path.dirname(file), match[1]), seen);
  }
  return seen;
}

describe('the built-in experience model', () => {
  it('never loads the real environment: no catalog, search engine, page rules or reward function', () => {
    // The model itself, and what the shop kind lets it know of the shop's interface
    const loaded = new Set<string>();
    for (const entry of ['core/dreamgym/experience/builtin/index.ts', 'core/env/shop/experience/shop-step-composer.ts']) {
      runtimeImports(path.join(ROOT, entry), loaded);
    }
    expect(loaded.size).toBeGreaterThan(10);
    expect([...loaded].filter((file) => FORBIDDEN.includes(file)).map((file) => path.relative(ROOT, file))).toEqual([]);
  });
});
