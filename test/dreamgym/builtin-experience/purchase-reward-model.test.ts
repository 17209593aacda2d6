import { describe, expect, it } from 'vitest';
import { purchaseFeatures, type PurchaseFeatures } from '../../../core/env/shop/experience/purchase-features.ts';
import { PurchaseRewardModel } from '../../../core/env/shop/experience/purchase-reward-model.ts';

const features = (a: number, A: number, o: number, O: number, priceOk: boolean, typeOverlap = 1): PurchaseFeatures =>
  ({ attributeMatches: a, goalAttributes: A, optionMatches: o, goalOptions: O, priceOk, typeOverlap });

describe('the purchase reward model', () => {
  it('reads matches off an item page: listed or titled attributes, selected options, price, type words', () => {
    const goal = { productType: 't-shirt', attributes: ['cotton', 'v-neck'], options: { color: 'red', size: 'm' }, priceUpper: 30 };
    const item = { id: 'P1', title: 'acme v-neck slim fit t-shirt', price: 25, attributes: ['cotton', 'slim fit'],
      options: [{ name: 'color', values: ['red', 'blue'], selected: 'red' }, { name: 'size', values: ['s', 'm'], selected: null }] };
    expect(purchaseFeatures(goal, item)).toEqual(features(2, 2, 1, 2, true, 1));
  });

  it('answers a feature combination it has seen with the mean reward seen', () => {
    const model = new PurchaseRewardModel();
    model.learn(features(1, 2, 1, 1, true), 0.75);
    model.learn(features(1, 2, 1, 1, true), 0.75);
    expect(model.predict(features(1, 2, 1, 1, true))).toEqual({ reward: 0.75, source: 'table', support: 2 });
  });

  it('generalises to unseen combinations through the fitted constraint share, and gives no reward for the wrong type', () => {
    // Prepare: offline outcomes that follow share × type match.
    const model = new PurchaseRewardModel();
    const seen = [features(2, 2, 2, 2, true), features(1, 2, 0, 1, true), features(0, 1, 1, 2, false), features(1, 1, 0, 0, false), features(2, 3, 1, 1, true, 0)];
    for (const f of seen) model.learn(f, f.typeOverlap === 1 ? (f.attributeMatches + f.optionMatches + (f.priceOk ? 1 : 0)) / (f.goalAttributes + f.goalOptions + 1) : 0);
    // Act
    const unseen = model.predict(features(2, 3, 1, 2, false));
    const wrongType = model.predict(features(3, 3, 2, 2, true, 0));
    // Assess
    expect(unseen.source).toBe('regression');
    expect(unseen.reward).toBeCloseTo(3 / 6, 3);
    expect(wrongType.reward).toBeCloseTo(0, 3);
  });

  it('predicts nothing before it has seen a purchase', () => {
    expect(new PurchaseRewardModel().predict(features(1, 1, 0, 0, true))).toEqual({ reward: 0, source: 'none', support: 0 });
  });
});
