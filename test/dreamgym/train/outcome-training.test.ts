import { describe, expect, it } from 'vitest';
import { createBuiltinPolicy } from '../../../core/dreamgym/policy/builtin-policy.ts';
import { storeOnlyDeps } from '../../../core/dreamgym/train/deps.ts';
import { readPolicy } from '../../../core/dreamgym/train/policy-store.ts';
import { runDreamGym } from '../../../core/dreamgym/train/run-dreamgym.ts';
import { createRng } from '../../../core/random.ts';
import { FileStore } from '../../../core/store/file-store.ts';
import { tempDir } from '../../helpers/runtime.ts';
import { SHOP_FEATURE_SET, SHOP_POLICY } from '../../helpers/shop-policy.ts';

const task = { id: 'tee', instruction: 'find me cotton t-shirt with color: red, and size: m, and price lower than 30.00 dollars' };
const ACTIONS = ['click[navy]', 'click[black]', 'click[s]', 'click[m]', 'click[buy now]', 'click[< prev]', 'click[back to search]'];
/** An item page that matches everything but does not sell the asked color: buying it earns 0.75, not success. */
const LACKS_RED = ['page: item', 'query: cotton t-shirt red m', 'item: P0001', 'title: acme cotton slim fit t-shirt', 'price: $12.50',
  'attributes: cotton, slim fit', 'option color: navy, black', 'option size: s, [m]'].join('\n');

describe('training on task success', () => {
  it('teaches real-environment GRPO to go back from an item that lacks an asked option instead of buying it', async () => {
    // Prepare
    const store = new FileStore(await tempDir());
    // Act: the defaults (task-success advantages), 10 iterations of 16 groups × 8 rollouts
    const summary = await runDreamGym({ mode: 'real', runId: 'success', tasks: { evalCount: 20 }, curriculum: { enabled: false } }, storeOnlyDeps(store));
    const stored = await readPolicy(store, 'success', summary.iterations);
    if (stored.policy.kind !== 'builtin') throw new Error('expected the built-in policy');
    const policy = createBuiltinPolicy(stored.policy, { ...SHOP_POLICY, mode: 'greedy' });
    const history = ['search[cotton t-shirt red m]', 'click[P0001]', 'click[m]'].map((action) => ({
      type: 'trainable' as const, role: 'assistant' as const, content: action, action, state: '', nextState: '', reward: 0, valid: true, done: false,
    }));
    const decision = await policy.act({ task, state: LACKS_RED, admissibleActions: ACTIONS, messages: history, rng: createRng(1) });
    // Assess
    expect(decision.action).toBe('click[< prev]');
    expect(summary.realSuccessAfter).toBeGreaterThan(0.8);
  });
});
