import type { StepComposer } from '../../environment-kind.ts';
import { composeShopStep } from './compose-shop-step.ts';
import { ShopKnowledge } from './shop-knowledge.ts';

/**
 * What the built-in experience model may know of the `shop` interface: the pages, products, validity and purchase
 * outcomes real transitions showed (ShopKnowledge), composed into next pages by `composeShopStep`. States that do
 * not parse as shop pages are left to the model's nearest-neighbour fallback.
 *
 * @example
 * const composer = createShopStepComposer();
 * for (const t of buffer.transitions()) composer.learn(t);
 * composer.compose({ task, history: [], state, action: 'search[red t-shirt]', exact: undefined });
 */
export function createShopStepComposer(): StepComposer & { readonly knowledge: ShopKnowledge } {
  const knowledge = new ShopKnowledge();
  return {
    knowledge,
    learn: (transition) => knowledge.learn(transition),
    compose({ task, history, state, action, exact }) {
      const view = knowledge.view(state);
      if (!view) return undefined;
      return composeShopStep({ knowledge, state, view, action, history, instruction: task.instruction, exact });
    },
  };
}
