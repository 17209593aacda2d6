/**
 * The structured abstract state of the `shop` environment, one variant per page. `renderShopView` turns it into the
 * compact text agents and experience models see, and `parseShopView` reads that text back, so predicted and real
 * states can be compared field by field.
 */
export const ShopPage = {
  search: 'search',
  results: 'results',
  item: 'item',
  done: 'done',
  failed: 'failed',
} as const;
export type ShopPage = (typeof ShopPage)[keyof typeof ShopPage];

export interface ShopResultLine {
  readonly id: string;
  readonly title: string;
  readonly price: number;
}

export interface ShopItemOption {
  readonly name: string;
  readonly values: readonly string[];
  readonly selected: string | null;
}

export interface SearchView {
  readonly page: 'search';
}

export interface ResultsView {
  readonly page: 'results';
  readonly query: string;
  /** 1-based. */
  readonly pageIndex: number;
  readonly pageCount: number;
  readonly total: number;
  readonly results: readonly ShopResultLine[];
}

export interface ItemView {
  readonly page: 'item';
  readonly query: string;
  readonly item: ShopResultLine & {
    readonly attributes: readonly string[];
    readonly options: readonly ShopItemOption[];
  };
}

export interface DoneView {
  readonly page: 'done';
  readonly item: ShopResultLine;
  /** The options selected at purchase, in the item's dimension order. */
  readonly selected: readonly { readonly name: string; readonly value: string }[];
}

export interface FailedView {
  readonly page: 'failed';
  readonly reason: string;
}

export type ShopView = SearchView | ResultsView | ItemView | DoneView | FailedView;
