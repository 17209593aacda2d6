import { readGoal, ShopKnowledge } from '../../core/dreamgym/experience/builtin/shop/shop-knowledge.ts';
import { purchaseFeatures } from '../../core/dreamgym/experience/builtin/shop/purchase-features.ts';
import { tryParseShopView } from '../../core/dreamgym/env/shop/parse-view.ts';
import type { TrajectoryRecord } from '../../core/dreamgym/offline/trajectory-record.ts';
import type { StoredTransition } from '../../core/dreamgym/replay/stored-transition.ts';

/**
 * The learned purchase reward model on held-out purchases: how often the table answers, and how accurate the table
 * and the regression fallback are, each alone (within `tolerance`).
 */
export function checkRewardModel(train: readonly StoredTransition[], heldOut: readonly TrajectoryRecord[], tolerance: number) {
  const knowledge = new ShopKnowledge();
  for (const t of train) if (t.source !== 'rollout') knowledge.learn(t);
  let purchases = 0, fromTable = 0, agree = 0, regressionAgree = 0;
  for (const record of heldOut) {
    const goal = readGoal(record.task.goal);
    for (const step of record.steps) {
      const view = tryParseShopView(step.state);
      if (!goal || view?.page !== 'item' || !step.valid || !/buy now/i.test(step.action) || tryParseShopView(step.nextState)?.page !== 'done') continue;
      purchases++;
      const features = purchaseFeatures(goal, view.item);
      const prediction = knowledge.rewards.predict(features);
      if (prediction.source === 'table') fromTable++;
      if (Math.abs(prediction.reward - step.reward) <= tolerance) agree++;
      if (Math.abs(knowledge.rewards.predictByRegression(features).reward - step.reward) <= tolerance) regressionAgree++;
    }
  }
  const share = (n: number) => (purchases === 0 ? 0 : n / purchases);
  return {
    trainPurchases: knowledge.rewards.purchases, heldOutPurchases: purchases,
    tableCoverage: share(fromTable), agreement: share(agree), regressionOnlyAgreement: share(regressionAgree),
  };
}
