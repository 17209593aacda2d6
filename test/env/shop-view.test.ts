import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../core/errors.ts';
import { parseShopView, tryParseShopView } from '../../core/env/shop/parse-view.ts';
import { renderShopView } from '../../core/env/shop/render-view.ts';
import { createShopEnvironment } from '../../core/env/shop/shop-environment.ts';
import type { ShopView } from '../../core/env/shop/view.ts';
import { createRng } from '../../core/random.ts';

const shop = createShopEnvironment({ seed: 2 });

/** Views from random walks: every page kind, selected and unselected options, empty result pages. */
function collectViews(): ShopView[] {
  const rng = createRng(9);
  const views: ShopView[] = [];
  for (let t = 0; t < 150; t++) {
    const episode = shop.openEpisode();
    views.push(episode.reset(shop.task(t)).data!);
    for (;;) {
      const actions = episode.admissibleActions();
      if (actions.length === 0) break;
      const action = rng.next() < 0.05 ? 'click[nowhere]' : rng.next() < 0.05 ? 'search[zzz qqq]' : rng.pick(actions);
      const result = episode.step(action);
      views.push(result.observation.data!);
      if (result.done) break;
    }
  }
  return views;
}

describe('renderShopView and parseShopView', () => {
  const views = collectViews();

  it('cover every page kind in the sample', () => {
    expect(new Set(views.map((v) => v.page))).toEqual(new Set(['search', 'results', 'item', 'done', 'failed']));
  });

  it('round-trip every view the environment produces', () => {
    for (const view of views) {
      // Act
      const text = renderShopView(view);
      const parsed = parseShopView(text);
      // Assess
      expect(parsed).toEqual(view);
      expect(renderShopView(parsed)).toBe(text);
    }
  });

  it('round-trip a results page with no results', () => {
    const empty: ShopView = { page: 'results', query: 'zzz', pageIndex: 1, pageCount: 1, total: 0, results: [] };
    expect(parseShopView(renderShopView(empty))).toEqual(empty);
  });

  it('keep the state compact: at most five result lines', () => {
    const results = views.filter((v) => v.page === 'results');
    const longest = Math.max(...results.map((v) => renderShopView(v).split('\n').length));
    expect(longest).toBeLessThanOrEqual(3 + 5);
  });

  it('render an item with its selected option in brackets', () => {
    const view: ShopView = {
      page: 'item', query: 'red t-shirt',
      item: { id: 'P0001', title: 'acme cotton t-shirt', price: 12.5, attributes: ['cotton', 'slim fit'],
        options: [
          { name: 'color', values: ['red', 'black'], selected: 'red' },
          { name: 'size', values: ['s'], selected: null },
        ] },
    };
    expect(renderShopView(view)).toBe([
      'page: item', 'query: red t-shirt', 'item: P0001', 'title: acme cotton t-shirt', 'price: $12.50',
      'attributes: cotton, slim fit', 'option color: [red], black', 'option size: s',
    ].join('\n'));
  });

  it('reject malformed text with an error naming the line', () => {
    expect(() => parseShopView('page: results\nquery: x\nshowing: lots')).toThrow(/line 3: expected showing/);
    expect(() => parseShopView('page: basket')).toThrow(InvalidInputError);
    expect(() => parseShopView('page: search\nextra line')).toThrow(/line 2/);
    expect(() => parseShopView('page: done\nbought: P1: thing $abc')).toThrow(/price/);
    expect(tryParseShopView('nonsense')).toBeUndefined();
  });
});
