import { tryParseShopView } from './parse-view.ts';
import type { ShopItemOption, ShopResultLine, ShopView } from './view.ts';
import type { StateAgreement } from '../environment-kind.ts';

/**
 * Agreement on the `shop` abstract state. Both texts are parsed into ShopViews (a prediction that does not parse
 * disagrees) and compared on what an agent can see and act on; text is compared case- and space-insensitively,
 * prices to the cent, and lists an agent treats as sets (attributes, option values) ignoring order:
 * - every page: the same page kind;
 * - results: the same query, page number and page count, and the same result lines (id, title, price) in the same
 *   order; the total hit count is not compared, it only sets the page count, which is;
 * - item: the same query, product id, title, price and attribute set, and the same option dimensions in order, each
 *   with the same set of values and the same selected value (or none);
 * - done: the same bought product (id, title, price) and the same selected name → value pairs;
 * - search and failed: nothing more (the failure reason's wording is not compared).
 *
 * @example
 * shopStateAgreement.compare(predicted, real); // { agree: false, differences: ['results[2].id: P0007 vs P0031'] }
 */
export const shopStateAgreement: StateAgreement = {
  name: 'shop',
  compare(predictedText, realText) {
    const real = tryParseShopView(realText);
    const predicted = tryParseShopView(predictedText);
    if (!predicted) return { agree: false, differences: ['predicted state is not a shop state'] };
    if (!real) return { agree: false, differences: ['real state is not a shop state'] };
    const differences = compareViews(predicted, real);
    return { agree: differences.length === 0, differences };
  },
  label: (text) => tryParseShopView(text)?.page ?? 'unparsed',
};

function compareViews(p: ShopView, r: ShopView): string[] {
  const out: string[] = [];
  const same = (field: string, a: unknown, b: unknown) => {
    if (a !== b) out.push(`${field}: ${String(a)} vs ${String(b)}`);
  };
  same('page', p.page, r.page);
  if (p.page === 'results' && r.page === 'results') {
    same('query', text(p.query), text(r.query));
    same('pageIndex', p.pageIndex, r.pageIndex);
    same('pageCount', p.pageCount, r.pageCount);
    same('results.length', p.results.length, r.results.length);
    r.results.forEach((line, i) => p.results[i] && compareLine(`results[${i}]`, p.results[i], line, same));
  } else if (p.page === 'item' && r.page === 'item') {
    same('query', text(p.query), text(r.query));
    compareLine('item', p.item, r.item, same);
    same('attributes', setKey(p.item.attributes), setKey(r.item.attributes));
    same('options', p.item.options.map((o) => text(o.name)).join(' | '), r.item.options.map((o) => text(o.name)).join(' | '));
    r.item.options.forEach((o, i) => p.item.options[i] && compareOption(p.item.options[i], o, same));
  } else if (p.page === 'done' && r.page === 'done') {
    compareLine('bought', p.item, r.item, same);
    const pairs = (v: typeof p) => setKey(v.selected.map((s) => `${s.name}=${s.value}`));
    same('selected', pairs(p), pairs(r));
  }
  return out;
}

type Same = (field: string, a: unknown, b: unknown) => void;

function compareLine(field: string, p: ShopResultLine, r: ShopResultLine, same: Same): void {
  same(`${field}.id`, text(p.id), text(r.id));
  same(`${field}.title`, text(p.title), text(r.title));
  same(`${field}.price`, Math.round(p.price * 100), Math.round(r.price * 100));
}

function compareOption(p: ShopItemOption, r: ShopItemOption, same: Same): void {
  same(`option ${r.name} values`, setKey(p.values), setKey(r.values));
  same(`option ${r.name} selected`, p.selected === null ? null : text(p.selected), r.selected === null ? null : text(r.selected));
}

function text(value: string): string {
  return value.toLowerCase().replace(/\s+/g, ' ').trim();
}

function setKey(values: readonly string[]): string {
  return [...new Set(values.map(text))].sort().join(', ');
}
