import { INVALID_ACTION_TEXT } from '../environment.ts';
import { renderShopView } from './render-view.ts';
import { parseShopView } from './parse-view.ts';
import type { EnvironmentRules } from '../experience-rules.ts';

const TEXT = `Environment: shop, a WebShop-style online store. The task asks the agent to buy a product with given attributes and options under a price limit.

States are text, one "key: value" per line, first the page. The five pages:
- search page:
page: search
- results page (up to 5 products per page and 50 in all, ranked by how many of the query's words a product's title, attributes, type and category contain, rarer words counting more):
page: results
query: <keywords>
showing: page <i> of <n>, <total> results
<product id>: <title> $<price>
- item page (each option lists its values; the selected value is in brackets):
page: item
query: <keywords>
item: <product id>
title: <title>
price: $<price>
attributes: <attribute>, <attribute>
option <name>: <value>, [<selected value>], <value>
- after buying:
page: done
bought: <product id>: <title> $<price>
selected <option name>: <value>
- failure state:
${INVALID_ACTION_TEXT}

Actions:
- search[<keywords>]: on the search page only; shows page 1 of the results for the keywords.
- click[<product id>]: on the results page, opens the item page of a product listed there.
- click[next >] and click[< prev]: on the results page, the next or previous page of results when there is one. On the item page, click[< prev] goes back to the results.
- click[<option value>]: on the item page, selects that value of its option; other options keep their values.
- click[buy now]: on the item page, buys the item with the selected options and ends the episode.
- click[back to search]: on the results or item page, returns to the search page.
Any other action, or an action that is not available on the current page, is invalid: the next state is the failure state, reward 0, done true, valid false.

Reward: 0 on every step except buying. Buying gives (goal attributes matched + goal options selected + 1 if the price is at most the task's limit) / (goal attributes + goal options + 1), times a product-type factor: 1 when the product is of the requested type, 0.5 when it is only related, 0.1 or 0 when it is unrelated. A goal attribute matches when the product lists it or its title contains it. The task succeeds when the reward is 1. An episode that reaches its step limit (15 steps by default) without buying ends with done true and reward 0 on the page it reached.`;

/** What an LLM experience model is told of the built-in `shop`, written from its page rules and WebShop's reward. */
export const SHOP_EXPERIENCE_RULES: EnvironmentRules = {
  name: 'shop',
  text: TEXT,
  initialState: () => renderShopView({ page: 'search' }),
  checkState: (text) => {
    try {
      parseShopView(text);
      return undefined;
    } catch (error) {
      return `not a shop state: ${(error as Error).message}`;
    }
  },
};
