import type { ResultsView, ShopResultLine } from '../view.ts';
import type { ProductMemory } from './product-memory.ts';
import { LexicalRanker } from './lexical-ranker.ts';
import { queryKey } from './shop-text.ts';

interface QueryPages {
  total: number;
  pageCount: number;
  pages: Map<number, readonly ShopResultLine[]>;
}

export interface ComposedResults {
  readonly view: ResultsView;
  /** 'seen': this very page was observed; 'composed': filled in by the learned ranker. */
  readonly source: 'seen' | 'composed';
}

/**
 * Results pages the buffer showed, by query words and page number, and a learned lexical ranker for the rest. A
 * page never seen is composed: pages seen for the same query keep their products in place and the ranker fills
 * the other slots; page size and the cap on results are the largest the buffer showed.
 */
export class SearchMemory {
  private readonly queries = new Map<string, QueryPages>();
  private readonly ranker: LexicalRanker;
  private pageSize = 1;
  private maxTotal = 1;

  constructor(products: ProductMemory) {
    this.ranker = new LexicalRanker(products);
  }

  learn(view: ResultsView): void {
    const key = queryKey(view.query);
    let entry = this.queries.get(key);
    if (!entry) {
      entry = { total: view.total, pageCount: view.pageCount, pages: new Map() };
      this.queries.set(key, entry);
    }
    if (!entry.pages.has(view.pageIndex)) entry.pages.set(view.pageIndex, view.results);
    if (view.pageIndex < view.pageCount) this.pageSize = Math.max(this.pageSize, view.results.length);
    this.maxTotal = Math.max(this.maxTotal, view.total);
  }

  results(query: string, pageIndex: number): ComposedResults {
    const entry = this.queries.get(queryKey(query));
    const seen = entry?.pages.get(pageIndex);
    if (entry && seen) {
      const { total, pageCount } = entry;
      return { view: { page: 'results', query, pageIndex, pageCount, total, results: seen }, source: 'seen' };
    }
    const ranked = this.ranker.rank(query);
    const total = entry?.total ?? Math.min(this.maxTotal, ranked.length);
    const pageCount = entry?.pageCount ?? Math.max(1, Math.ceil(total / this.pageSize));
    const slots: (ShopResultLine | undefined)[] = new Array(total).fill(undefined);
    const placed = new Set<string>();
    for (const [index, lines] of entry?.pages ?? []) {
      lines.forEach((line, i) => {
        const at = (index - 1) * this.pageSize + i;
        if (at < total) slots[at] = line;
        placed.add(line.id);
      });
    }
    const rest = ranked.filter((line) => !placed.has(line.id));
    for (let at = 0; at < total && rest.length > 0; at++) slots[at] ??= rest.shift();
    const start = (pageIndex - 1) * this.pageSize;
    const results = slots.slice(start, start + this.pageSize).filter((line) => line !== undefined);
    return { view: { page: 'results', query, pageIndex, pageCount, total, results }, source: 'composed' };
  }
}
