import type { ShopCatalog } from './catalog.ts';
import { normalizeText, tokenize } from '../tokenize.ts';

/** WebShop's search engine returns at most 50 products for a query. */
export const MAX_SEARCH_RESULTS = 50;
const CACHE_LIMIT = 20_000;

export interface SearchIndex {
  /** Indexes into `catalog.products`, best first, at most MAX_SEARCH_RESULTS; the same query, the same ranking. */
  search(query: string): readonly number[];
}

/**
 * A lexical index over each product's title, attributes, type and category: a product's score for a query is the
 * sum of the inverse document frequencies of the query words it contains; ties go to the lower product index.
 *
 * @example
 * const index = createSearchIndex(catalog);
 * const top = index.search('cotton slim fit t-shirt').map((i) => catalog.products[i].id);
 */
export function createSearchIndex(catalog: ShopCatalog): SearchIndex {
  const postings = new Map<string, number[]>();
  catalog.products.forEach((product, index) => {
    const text = [product.title, ...product.attributes, product.type, ...product.category].join(' ');
    for (const token of new Set(tokenize(text))) {
      const list = postings.get(token);
      if (list) list.push(index);
      else postings.set(token, [index]);
    }
  });
  const idf = new Map<string, number>();
  for (const [token, list] of postings) idf.set(token, Math.log(1 + catalog.products.length / list.length));

  const scores = new Float64Array(catalog.products.length);
  const cache = new Map<string, readonly number[]>();

  const rank = (query: string): number[] => {
    const touched: number[] = [];
    for (const token of new Set(tokenize(query))) {
      const list = postings.get(token);
      if (!list) continue;
      const weight = idf.get(token) ?? 0;
      for (const index of list) {
        if (scores[index] === 0) touched.push(index);
        scores[index] += weight;
      }
    }
    touched.sort((a, b) => scores[b] - scores[a] || a - b);
    const ranked = touched.slice(0, MAX_SEARCH_RESULTS);
    for (const index of touched) scores[index] = 0;
    return ranked;
  };

  return {
    search(query) {
      const key = normalizeText(query);
      let ranked = cache.get(key);
      if (!ranked) {
        // A plain bound instead of an LRU: queries repeat within a run, and a full reset is rare and cheap.
        if (cache.size >= CACHE_LIMIT) cache.clear();
        ranked = rank(key);
        cache.set(key, ranked);
      }
      return ranked;
    },
  };
}
