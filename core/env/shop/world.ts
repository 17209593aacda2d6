import type { ShopCatalog } from './catalog.ts';
import type { SearchIndex } from './search-index.ts';

/** What every `shop` episode of one environment shares: the catalog, its search index and the page rules. */
export interface ShopWorld {
  readonly catalog: ShopCatalog;
  readonly index: SearchIndex;
  /** Results shown per page (≤ 5 keeps the abstract state compact). */
  readonly resultsPerPage: number;
  /** Steps after which an episode ends unfinished. */
  readonly maxSteps: number;
}

/** The ranked result ids of a query and the slice shown on one results page. */
export function resultsPage(world: ShopWorld, query: string, pageIndex: number) {
  const ranked = world.index.search(query);
  const pageCount = Math.max(1, Math.ceil(ranked.length / world.resultsPerPage));
  const start = (pageIndex - 1) * world.resultsPerPage;
  return { ranked, pageCount, visible: ranked.slice(start, start + world.resultsPerPage) };
}
