import { ShopKnowledge } from '../../core/env/shop/experience/shop-knowledge.ts';
import { tryParseShopView } from '../../core/env/shop/parse-view.ts';
import type { TrajectoryRecord } from '../../core/dreamgym/offline/trajectory-record.ts';
import type { StoredTransition } from '../../core/dreamgym/replay/stored-transition.ts';

/**
 * The learned purchase outcome model on held-out purchases: how often its reward is within `tolerance` of the real
 * one, and how often it calls success right.
 */
export function checkRewardModel(train: readonly StoredTransition[], heldOut: readonly TrajectoryRecord[], tolerance: number) {
  const knowledge = new ShopKnowledge();
  for (const t of train) if (t.source !== 'rollout') knowledge.learn(t);
  let purchases = 0, agree = 0, success = 0;
  for (const record of heldOut) {
    for (const step of record.steps) {
      const view = tryParseShopView(step.state);
      if (view?.page !== 'item' || !step.valid || !/buy now/i.test(step.action) || tryParseShopView(step.nextState)?.page !== 'done') continue;
      purchases++;
      const prediction = knowledge.outcomes.predict(record.task.instruction, view.item);
      if (Math.abs(prediction.reward - step.reward) <= tolerance) agree++;
      if ((prediction.reward >= 1) === (step.reward >= 1)) success++;
    }
  }
  const share = (n: number) => (purchases === 0 ? 0 : n / purchases);
  return { trainPurchases: knowledge.outcomes.purchases, heldOutPurchases: purchases, agreement: share(agree), successAgreement: share(success) };
}
