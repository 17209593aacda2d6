import { instructionFacts } from '../features/instruction-facts.ts';
import type { ItemView } from '../view.ts';
import { LogisticModel, type Features } from './logistic-model.ts';
import { words } from './shop-text.ts';

export interface OutcomePrediction {
  readonly reward: number;
  /** P(success) the model gives the purchase. */
  readonly success: number;
  readonly purchases: number;
}

/**
 * The outcome of a purchase, learned from the buffer's real purchases with two logistic models over generic text
 * features of the instruction and the item page (shares of instruction words on the page and in its title, of
 * instruction option values selected, whether the price is within the amount the instruction names): one for
 * success (reward 1), one for the partial reward otherwise. It never sees the task's goal data or the reward rule.
 *
 * @example
 * const model = new PurchaseOutcomeModel();
 * model.learn(task.instruction, view.item, 1);
 * model.predict(task.instruction, view.item); // { reward: 1, success: 0.9, purchases: 1 }
 */
export class PurchaseOutcomeModel {
  private readonly success = new LogisticModel({ dimension: 256, epochs: 20 });
  private readonly partial = new LogisticModel({ dimension: 256, epochs: 20 });

  get purchases(): number {
    return this.success.size;
  }

  learn(instruction: string, item: ItemView['item'], reward: number): void {
    const features = purchaseTextFeatures(instruction, item);
    this.success.add(features, reward >= 1 ? 1 : 0);
    if (reward < 1) this.partial.add(features, reward);
  }

  predict(instruction: string, item: ItemView['item']): OutcomePrediction {
    const features = purchaseTextFeatures(instruction, item);
    const success = this.success.predict(features);
    const reward = success >= 0.5 ? 1 : Math.min(0.99, this.partial.predict(features));
    return { reward: this.purchases === 0 ? 0 : reward, success, purchases: this.purchases };
  }
}

/** Generic overlap features of an instruction and an item page, with their products (all met, etc.). */
export function purchaseTextFeatures(instruction: string, item: ItemView['item']): Features {
  const facts = instructionFacts(instruction);
  const page = new Set(words([item.title, ...item.attributes].join(' ')));
  const title = new Set(words(item.title));
  const subject = [...facts.subject];
  const onPage = share(subject, (w) => page.has(w));
  const inTitle = share(subject, (w) => title.has(w));
  const lastWord = subject.length > 0 && title.has(subject[subject.length - 1]) ? 1 : 0;
  const selected = new Set(item.options.flatMap((o) => (o.selected === null ? [] : [o.selected.toLowerCase()])));
  const optionValues = [...facts.optionValues];
  const chosen = share(optionValues, (v) => selected.has(v));
  const priceOk = facts.budget === undefined || item.price <= facts.budget ? 1 : 0;
  const all = onPage === 1 && chosen === 1 && priceOk === 1 ? 1 : 0;
  return new Map([
    ['onPage', onPage], ['inTitle', inTitle], ['lastWord', lastWord], ['chosen', chosen], ['priceOk', priceOk],
    ['onPage*chosen', onPage * chosen], ['onPage*chosen*price', onPage * chosen * priceOk], ['all', all],
    ['allButPrice', onPage === 1 && chosen === 1 ? 1 : 0], ['noOptions', optionValues.length === 0 ? 1 : 0],
  ]);
}

function share<T>(items: readonly T[], hit: (item: T) => boolean): number {
  return items.length === 0 ? 1 : items.filter(hit).length / items.length;
}
