/** The rules of the built-in `shop` environment, as an LLM policy is told them. */
export const SHOP_RULES = [
  'You are shopping in a web store for the product a customer describes.',
  'Pages: search -> results (5 products per page) -> item (options such as size or color) -> buy.',
  'Actions: search[keywords] on the search page; click[<product id>], click[next >], click[< prev] and',
  'click[back to search] on results; click[<option value>], click[buy now], click[< prev] and click[back to search]',
  'on an item page. Select every option the instruction asks for before you click[buy now].',
  'Any other action, or an action not available on the current page, fails the episode.',
].join('\n');
