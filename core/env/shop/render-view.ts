import type { ShopResultLine, ShopView } from './view.ts';

/**
 * The compact text of a shop state: `key: value` lines, results as `id: title $price`, options with the selected
 * value in brackets. `parseShopView(renderShopView(v))` equals `v`.
 *
 * @example
 * renderShopView({ page: 'results', query: 'red t-shirt', pageIndex: 1, pageCount: 1, total: 1,
 *   results: [{ id: 'P0001', title: 'acme cotton t-shirt', price: 12.5 }] });
 * // 'page: results\nquery: red t-shirt\nshowing: page 1 of 1, 1 results\nP0001: acme cotton t-shirt $12.50'
 */
export function renderShopView(view: ShopView): string {
  switch (view.page) {
    case 'search':
      return 'page: search';
    case 'results': {
      let text = `page: results\nquery: ${view.query}`;
      text += `\nshowing: page ${view.pageIndex} of ${view.pageCount}, ${view.total} results`;
      for (const line of view.results) text += `\n${resultLine(line)}`;
      return text;
    }
    case 'item': {
      const { item } = view;
      let text = `page: item\nquery: ${view.query}\nitem: ${item.id}\ntitle: ${item.title}`;
      text += `\nprice: ${money(item.price)}\nattributes: ${item.attributes.join(', ')}`;
      for (const option of item.options) {
        const values = option.values.map((v) => (v === option.selected ? `[${v}]` : v));
        text += `\noption ${option.name}: ${values.join(', ')}`;
      }
      return text;
    }
    case 'done': {
      let text = `page: done\nbought: ${resultLine(view.item)}`;
      for (const { name, value } of view.selected) text += `\nselected ${name}: ${value}`;
      return text;
    }
    case 'failed':
      return `page: failed\nreason: ${view.reason}`;
  }
}

function resultLine(line: ShopResultLine): string {
  return `${line.id}: ${line.title} ${money(line.price)}`;
}

function money(price: number): string {
  return `$${price.toFixed(2)}`;
}
