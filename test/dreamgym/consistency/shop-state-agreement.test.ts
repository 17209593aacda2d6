import { describe, expect, it } from 'vitest';
import { shopStateAgreement } from '../../../core/env/shop/state-agreement.ts';
import { textStateAgreement } from '../../../core/dreamgym/consistency/state-agreement.ts';
import { renderShopView } from '../../../core/env/shop/render-view.ts';
import type { ItemView, ResultsView } from '../../../core/env/shop/view.ts';

const results: ResultsView = { page: 'results', query: 'red t-shirt', pageIndex: 1, pageCount: 3, total: 12, results: [
  { id: 'P0001', title: 'acme cotton t-shirt', price: 12.5 }, { id: 'P0002', title: 'zenith v-neck t-shirt', price: 9 }] };
const item: ItemView = { page: 'item', query: 'red t-shirt', item: { id: 'P0001', title: 'acme cotton t-shirt', price: 12.5,
  attributes: ['cotton', 'crew neck'], options: [{ name: 'color', values: ['red', 'navy'], selected: 'red' }, { name: 'size', values: ['s', 'm'], selected: null }] } };
const compare = (predicted: object, real: object) => shopStateAgreement.compare(renderShopView(predicted as never), renderShopView(real as never));

describe('agreement on the shop abstract state', () => {
  it('agrees on equal states and ignores what an agent cannot act on: total hits, list order of sets, case, failure wording', () => {
    expect(compare({ ...results, total: 15 }, results).agree).toBe(true);
    expect(compare({ ...item, query: 'Red  T-shirt', item: { ...item.item, attributes: ['crew neck', 'cotton'],
      options: [{ ...item.item.options[0], values: ['navy', 'red'] }, item.item.options[1]] } }, item).agree).toBe(true);
    expect(shopStateAgreement.compare('page: failed\nreason: invalid action', 'page: failed\nreason: out of steps').agree).toBe(true);
  });

  it('disagrees on result order, page count, prices to the cent, and names the field', () => {
    expect(compare({ ...results, results: [...results.results].reverse() }, results).differences).toContain('results[0].id: p0002 vs p0001');
    expect(compare({ ...results, pageCount: 2 }, results).differences).toEqual(['pageCount: 2 vs 3']);
    expect(compare({ ...results, results: [{ ...results.results[0], price: 12.51 }, results.results[1]] }, results).agree).toBe(false);
  });

  it('disagrees on an item page with another selection, a missing attribute or another option set', () => {
    const select = (value: string | null) => ({ ...item, item: { ...item.item, options: [{ ...item.item.options[0], selected: value }, item.item.options[1]] } });
    expect(compare(select(null), item).differences).toEqual(['option color selected: null vs red']);
    expect(compare({ ...item, item: { ...item.item, attributes: ['cotton'] } }, item).agree).toBe(false);
    expect(compare({ ...item, item: { ...item.item, options: [item.item.options[0]] } }, item).agree).toBe(false);
  });

  it('compares a purchase by product and selected options', () => {
    const done = { page: 'done', item: results.results[0], selected: [{ name: 'color', value: 'red' }] };
    expect(compare(done, done).agree).toBe(true);
    expect(compare({ ...done, selected: [] }, done).differences).toEqual(['selected:  vs color=red']);
    expect(compare({ ...done, item: results.results[1] }, done).agree).toBe(false);
  });

  it('disagrees with a prediction that is not a shop state, and with another page', () => {
    expect(shopStateAgreement.compare('the results page with shirts', renderShopView(results))).toEqual({ agree: false, differences: ['predicted state is not a shop state'] });
    expect(compare({ page: 'search' }, results).differences).toEqual(['page: search vs results']);
  });

  it('falls back to normalised text for other environments', () => {
    expect(textStateAgreement.compare('You are  in the Hall.\n', 'you are in the hall.').agree).toBe(true);
    expect(textStateAgreement.compare('You are in the hall.', 'You are outside.').agree).toBe(false);
  });
});
