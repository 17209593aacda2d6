import { NotFoundError } from '../../errors.ts';
import type { Product } from './catalog.ts';
import type { ShopEpisodeState } from './snapshot.ts';
import type { ShopView } from './view.ts';
import { resultsPage } from './world.ts';
import type { ShopWorld } from './world.ts';

/** The view (abstract state) of an episode state; the inverse direction is the episode's job. */
export function buildShopView(world: ShopWorld, state: ShopEpisodeState): ShopView {
  switch (state.page) {
    case 'search':
      return { page: 'search' };
    case 'results': {
      const { ranked, pageCount, visible } = resultsPage(world, state.query, state.pageIndex);
      const results = visible.map((i) => {
        const p = world.catalog.products[i];
        return { id: p.id, title: p.title, price: p.price };
      });
      const { query, pageIndex } = state;
      return { page: 'results', query, pageIndex, pageCount, total: ranked.length, results };
    }
    case 'item': {
      const p = productOf(world, state.itemId);
      const options = Object.entries(p.options).map(([name, values]) => ({
        name,
        values,
        selected: state.selected[name] ?? null,
      }));
      return {
        page: 'item',
        query: state.query,
        item: { id: p.id, title: p.title, price: p.price, attributes: p.attributes, options },
      };
    }
    case 'done': {
      const p = productOf(world, state.itemId);
      const selected = Object.keys(p.options)
        .filter((name) => state.selected[name] !== undefined)
        .map((name) => ({ name, value: state.selected[name] }));
      return { page: 'done', item: { id: p.id, title: p.title, price: p.price }, selected };
    }
    case 'failed':
      return { page: 'failed', reason: 'invalid action' };
  }
}

export function productOf(world: ShopWorld, id: string): Product {
  const product = world.catalog.byId.get(id);
  if (!product) throw new NotFoundError(`shop catalog has no product "${id}"`);
  return product;
}
