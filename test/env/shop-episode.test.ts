import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError } from '../../core/errors.ts';
import { INVALID_ACTION_TEXT } from '../../core/env/environment.ts';
import { shopAdmissibleActions } from '../../core/env/shop/admissible.ts';
import { parseShopView } from '../../core/env/shop/parse-view.ts';
import { createShopEnvironment } from '../../core/env/shop/shop-environment.ts';
import type { ItemView, ResultsView } from '../../core/env/shop/view.ts';
import { createRng } from '../../core/random.ts';

const shop = createShopEnvironment({ seed: 11 });
const task = shop.task(0);

function freshEpisode() {
  const episode = shop.openEpisode();
  episode.reset(task);
  return episode;
}

describe('shop pages', () => {
  it('starts on the search page and offers search candidates derived from the goal', () => {
    // Act
    const episode = shop.openEpisode();
    const first = episode.reset(task);
    const actions = episode.admissibleActions();
    // Assess
    expect(first.text).toBe('page: search');
    expect(actions).toContain(`search[${task.goal.productType}]`);
    expect(actions).toContain(`search[${[...task.goal.attributes, task.goal.productType].join(' ')}]`);
    expect(actions.every((a) => a.startsWith('search['))).toBe(true);
  });

  it('shows at most five results per page and pages with next and prev', () => {
    // Prepare
    const episode = freshEpisode();
    // Act
    const page1 = episode.step(`search[${task.goal.productType}]`).observation.data as ResultsView;
    const page2 = episode.step('click[next >]').observation.data as ResultsView;
    const back = episode.step('click[< prev]').observation.data as ResultsView;
    // Assess
    expect(page1.results.length).toBe(5);
    expect(page1.total).toBeGreaterThan(5);
    expect(page2.pageIndex).toBe(2);
    expect(page2.results.map((r) => r.id)).not.toEqual(page1.results.map((r) => r.id));
    expect(back).toEqual(page1);
  });

  it('ranks products whose title and attributes share the query words first', () => {
    const episode = freshEpisode();
    const view = episode.step('search[waterproof leather hiking boots]').observation.data as ResultsView;
    const top = shop.catalog.byId.get(view.results[0].id)!;
    expect(top.type).toBe('hiking boots');
    expect(top.attributes).toEqual(expect.arrayContaining(['waterproof', 'leather']));
  });

  it('opens an item, marks the selected option and returns to the results', () => {
    // Prepare
    const episode = freshEpisode();
    const results = episode.step(`search[${task.goal.productType}]`).observation.data as ResultsView;
    const id = results.results[1].id;
    // Act
    episode.step(`click[${id}]`);
    const option = shop.catalog.byId.get(id)!.options[Object.keys(shop.catalog.byId.get(id)!.options)[0]][0];
    const item = episode.step(`click[${option.toUpperCase()}]`);
    const backToResults = episode.step('click[< prev]').observation.data as ResultsView;
    // Assess
    const view = item.observation.data as ItemView;
    expect(view.item.id).toBe(id);
    expect(view.item.options[0].selected).toBe(option);
    expect(item.observation.text).toContain(`[${option}]`);
    expect(backToResults).toEqual(results);
  });

  it('accepts free-text searches that are not among the candidates', () => {
    const result = freshEpisode().step('search[  Something   Completely Different ]');
    expect(result.valid).toBe(true);
    expect((result.observation.data as ResultsView).query).toBe('something completely different');
  });

  it('goes back to an empty search page from results and items', () => {
    const episode = freshEpisode();
    episode.step('search[jeans]');
    expect(episode.step('click[back to search]').observation.text).toBe('page: search');
  });
});

describe('shop invalid actions', () => {
  const invalidCases: [string, string[]][] = [
    ['unparseable text', ['buy the red one']],
    ['an empty search', ['search[   ]']],
    ['a click on the search page', ['click[buy now]']],
    ['a search on the results page', ['search[jeans]', 'search[shoes]']],
    ['a product that is not on the page', ['search[jeans]', 'click[P9999]']],
    ['prev on the first results page', ['search[jeans]', 'click[< prev]']],
    ['buy now on the results page', ['search[jeans]', 'click[buy now]']],
  ];

  for (const [name, actions] of invalidCases) {
    it(`ends the episode in the failure state for ${name}, without throwing`, () => {
      // Prepare
      const episode = freshEpisode();
      for (const action of actions.slice(0, -1)) expect(episode.step(action).valid).toBe(true);
      // Act
      const result = episode.step(actions[actions.length - 1]);
      // Assess
      expect(result).toMatchObject({ reward: 0, done: true, valid: false });
      expect(result.observation.text).toBe(INVALID_ACTION_TEXT);
      expect(episode.admissibleActions()).toEqual([]);
    });
  }

  it('treats an option of another product as invalid on an item page', () => {
    const episode = freshEpisode();
    const view = episode.step('search[face moisturizer]').observation.data as ResultsView;
    episode.step(`click[${view.results[0].id}]`);
    expect(episode.step('click[xxl]').valid).toBe(false);
  });

  it('refuses to step a finished episode with a ConflictError', async () => {
    const session = await shop.open();
    await session.reset(task);
    await session.step('nonsense');
    await expect(session.step('search[jeans]')).rejects.toBeInstanceOf(ConflictError);
  });

  it('refuses a task without a valid goal with an InvalidInputError naming the field', () => {
    expect(() => shop.openEpisode().reset({ id: 'x', instruction: 'buy', goal: { productType: 'jeans' } }))
      .toThrow(InvalidInputError);
    expect(() => shop.openEpisode().reset({ id: 'x', instruction: 'buy' })).toThrow(/goal/);
  });
});

describe('shop step limit', () => {
  it('ends an unfinished episode at maxSteps with reward 0 and info.truncated', () => {
    // Prepare
    const limited = createShopEnvironment({ catalog: shop.catalog, maxSteps: 3 });
    const episode = limited.openEpisode();
    episode.reset(task);
    // Act
    const first = episode.step('search[jeans]');
    const second = episode.step('click[next >]');
    const third = episode.step('click[next >]');
    // Assess
    expect([first.done, second.done]).toEqual([false, false]);
    expect(third).toMatchObject({ done: true, valid: true, reward: 0, info: { truncated: true, steps: 3 } });
    expect(episode.admissibleActions()).toEqual([]);
  });

  it('does not mark a purchase on the last allowed step as truncated', () => {
    const limited = createShopEnvironment({ catalog: shop.catalog, maxSteps: 3 });
    const episode = limited.openEpisode();
    episode.reset(task);
    const view = episode.step('search[jeans]').observation.data as ResultsView;
    episode.step(`click[${view.results[0].id}]`);
    const bought = episode.step('click[buy now]');
    expect(bought.done).toBe(true);
    expect(bought.info.truncated).toBeUndefined();
    expect(bought.info.page).toBe('done');
  });
});

describe('shop admissible actions', () => {
  it('are all valid in every state a random walk reaches', () => {
    // Prepare: states from random walks over several tasks
    const rng = createRng(5);
    let checked = 0;
    for (let t = 0; t < 20; t++) {
      const walker = shop.openEpisode();
      walker.reset(shop.task(t));
      for (let s = 0; s < 8; s++) {
        const actions = walker.admissibleActions();
        if (actions.length === 0) break;
        const saved = walker.snapshot();
        // Act: try every admissible action from this state
        for (const action of actions) {
          const probe = shop.openEpisode();
          probe.restore(saved);
          // Assess
          expect(probe.step(action).valid, `${action} in\n${walker.observation().text}`).toBe(true);
          checked++;
        }
        walker.step(rng.pick(actions));
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('can be derived from the state text alone, as a synthetic state needs', () => {
    const rng = createRng(8);
    let compared = 0;
    for (let t = 0; t < 30; t++) {
      // Prepare
      const episode = shop.openEpisode();
      const goal = shop.task(t).goal;
      let text = episode.reset(shop.task(t)).text;
      for (let s = 0; s < 10; s++) {
        // Act
        const fromText = shopAdmissibleActions(parseShopView(text), goal);
        // Assess
        expect(fromText).toEqual(episode.admissibleActions());
        compared++;
        if (fromText.length === 0) break;
        text = episode.step(rng.pick(fromText)).observation.text;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});
