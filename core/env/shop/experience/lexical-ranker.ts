import type { ShopResultLine } from '../view.ts';
import type { ProductMemory } from './product-memory.ts';
import { queryKey } from './shop-text.ts';

const CACHE_LIMIT = 20_000;

/**
 * A search model learned from the products the buffer showed: a product's score for a query is the sum of the
 * inverse document frequencies (over known products) of the query words in its title and known attributes; best
 * first, ties by product id. It only knows what the buffer showed, so it can rank a product it never saw nowhere.
 */
export class LexicalRanker {
  private readonly products: ProductMemory;
  private builtAt = -1;
  private postings = new Map<string, number[]>();
  private lines: ShopResultLine[] = [];
  private cache = new Map<string, ShopResultLine[]>();

  constructor(products: ProductMemory) {
    this.products = products;
  }

  rank(query: string): ShopResultLine[] {
    this.rebuildIfChanged();
    const key = queryKey(query);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const scores = new Map<number, number>();
    for (const word of key.split(' ')) {
      const list = this.postings.get(word);
      if (!list) continue;
      const idf = Math.log(1 + this.lines.length / list.length);
      for (const product of list) scores.set(product, (scores.get(product) ?? 0) + idf);
    }
    const ranked = [...scores.keys()]
      .sort((a, b) => scores.get(b)! - scores.get(a)! || compareIds(this.lines[a].id, this.lines[b].id))
      .map((product) => this.lines[product]);
    // A plain bound instead of an LRU: synthetic rollouts can invent queries without end.
    if (this.cache.size >= CACHE_LIMIT) this.cache = new Map();
    this.cache.set(key, ranked);
    return ranked;
  }

  private rebuildIfChanged(): void {
    if (this.builtAt === this.products.changes) return;
    this.builtAt = this.products.changes;
    this.postings = new Map();
    this.lines = [];
    this.cache = new Map();
    for (const { line, words: productWords } of this.products.searchable()) {
      const index = this.lines.push(line) - 1;
      for (const word of new Set(productWords)) {
        const list = this.postings.get(word);
        if (list) list.push(index);
        else this.postings.set(word, [index]);
      }
    }
  }
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
