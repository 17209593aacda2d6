import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../core/errors.ts';
import type { StepResult } from '../../core/env/environment.ts';
import { createShopEnvironment } from '../../core/env/shop/shop-environment.ts';
import { createRng } from '../../core/random.ts';

const shop = createShopEnvironment({ seed: 4 });
const twin = createShopEnvironment({ seed: 4 });

describe('shop snapshot and restore', () => {
  it('continue exactly like the original episode after a JSON round trip', async () => {
    const rng = createRng(21);
    let compared = 0;
    for (let t = 0; t < 40; t++) {
      // Prepare: walk a few random steps, then snapshot
      const original = await shop.open();
      await original.reset(shop.task(t));
      const prefix = rng.int(4);
      for (let s = 0; s < prefix; s++) {
        const actions = await original.admissibleActions();
        if (actions.length === 0) break;
        await original.step(rng.pick(actions));
      }
      const snapshot = JSON.parse(JSON.stringify(await original.snapshot()));
      // Act: restore into a session of a separately built environment with the same seed
      const copy = await twin.open();
      await copy.restore(snapshot);
      // Assess: the same actions give the same results, step by step, to the end
      expect(await copy.admissibleActions()).toEqual(await original.admissibleActions());
      for (;;) {
        const actions = await original.admissibleActions();
        if (actions.length === 0) break;
        const action = rng.pick(actions);
        const [a, b]: StepResult[] = [await original.step(action), await copy.step(action)];
        expect(b).toEqual(a);
        compared++;
        expect(await copy.admissibleActions()).toEqual(await original.admissibleActions());
      }
      expect(copy.task).toEqual(original.task);
    }
    expect(compared).toBeGreaterThan(40);
  });

  it('are unaffected by stepping the original after the snapshot was taken', async () => {
    const session = await shop.open();
    await session.reset(shop.task(1));
    await session.step(`search[${shop.task(1).goal.productType}]`);
    const snapshot = await session.snapshot();
    const before = JSON.stringify(snapshot);
    await session.step('click[next >]');
    expect(JSON.stringify(snapshot)).toBe(before);
    const restored = await (await shop.open()).restore(snapshot);
    expect(restored.text).toContain('showing: page 1 of');
  });

  it('refuse a snapshot of another catalog', async () => {
    const session = await shop.open();
    await session.reset(shop.task(0));
    const snapshot = await session.snapshot();
    const other = await createShopEnvironment({ seed: 5 }).open();
    await expect(other.restore(snapshot)).rejects.toThrow(/catalog seed 4/);
  });

  it('refuse a malformed snapshot with an InvalidInputError naming the field', async () => {
    const session = await shop.open();
    await session.reset(shop.task(0));
    const snapshot = await session.snapshot();
    const broken = { ...snapshot, state: { ...(snapshot.state as object), page: 'basket' } };
    await expect(session.restore(broken)).rejects.toThrow(InvalidInputError);
    await expect(session.restore(broken)).rejects.toThrow(/state\.page/);
  });
});

describe('shop sessions', () => {
  it('run concurrently without sharing episode state', async () => {
    // Prepare: the same action scripts, played one after another and interleaved
    const scripts = [0, 1, 2, 3].map((t) => ({ task: shop.task(t), actions: [`search[${shop.task(t).goal.productType}]`,
      'click[next >]', 'click[< prev]', 'click[back to search]', 'search[jeans]'] }));
    const sequential: string[][] = [];
    for (const { task, actions } of scripts) {
      const session = await shop.open();
      await session.reset(task);
      const texts: string[] = [];
      for (const action of actions) texts.push((await session.step(action)).observation.text);
      sequential.push(texts);
    }
    // Act
    const sessions = await Promise.all(scripts.map(() => shop.open()));
    await Promise.all(sessions.map((s, i) => s.reset(scripts[i].task)));
    const interleaved: string[][] = scripts.map(() => []);
    for (let step = 0; step < 5; step++) {
      const results = await Promise.all(sessions.map((s, i) => s.step(scripts[i].actions[step])));
      results.forEach((r, i) => interleaved[i].push(r.observation.text));
    }
    // Assess
    expect(interleaved).toEqual(sequential);
  });
});
