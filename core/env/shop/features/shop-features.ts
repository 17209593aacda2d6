import type { Features, PolicyFeatures } from '../../environment-kind.ts';
import { episodeMemory, NO_MEMORY, textFeatures, type EpisodeMemory } from '../../text-features.ts';
import { tryParseShopView } from '../parse-view.ts';
import { normalizeText, tokenize } from '../../tokenize.ts';
import type { ItemView, ResultsView, ShopView } from '../view.ts';
import { coverage, instructionFacts } from './instruction-facts.ts';
import type { InstructionFacts } from './instruction-facts.ts';

/**
 * The features φ(instruction, state, action) of the built-in policy, for every action offered in a state. They are
 * fixed templates over text (how much of the instruction a query, a title or an item covers; whether an option
 * value is asked for; the price against the budget; the page and kind of action); which of them matter is what
 * training learns. States that do not read as `shop` pages fall back to generic word-overlap features.
 *
 * An action that repeats one already taken in the episode and leads back to a page already seen (the same search
 * again, reopening an item, re-selecting the selected value) gets only its own indicator, none of the features of
 * a first attempt: otherwise the credit a first attempt earns (opening the best match, selecting an asked option)
 * also raises its repetition, which sampling makes harmless but which a greedy policy repeats until the step limit.
 *
 * A results page has no constant feature for leaving it ("back to search", "next >") nor for opening a result:
 * leaving scores how far the page's query and its best unopened result fall short of the instruction, opening
 * scores how well the result's title matches. Every turn of an episode shares the episode's advantage, so a
 * success that left a poor page on its way would otherwise raise leaving and lower opening on every page, good
 * ones included; the greedy policy then leaves the page that shows what was asked for, and searches and goes back
 * until the step limit (real-env GRPO's mid-run collapse). Without constants, what leaving a poor page earns does
 * not carry over to a page whose query and best result leave no gap.
 *
 * @example
 * const rows = actionFeatures(instructionFacts(task.instruction), 'page: search', ['search[red t-shirt]']);
 */
export function actionFeatures(
  facts: InstructionFacts,
  state: string,
  actions: readonly string[],
  memory: EpisodeMemory = NO_MEMORY,
): Features[] {
  const view = tryParseShopView(state);
  if (!view) {
    const segments = state.split(/\s*\[SEP\]\s*/).map((s) => s.trim().toLowerCase());
    return actions.map((action) => textFeatures(facts, action, segments, memory));
  }
  const context = pageContext(facts, view, memory);
  return actions.map((action) => shopFeatures(facts, view, context, action));
}

interface PageContext {
  readonly memory: EpisodeMemory;
  /** Results page: how much of the instruction's words the page's query covers. */
  readonly queryCoverage: number;
  /** Subject coverage of each visible result's title, by product id (results page). */
  readonly titleCoverage: ReadonlyMap<string, number>;
  /** The best coverage among the visible results not opened yet (0 when all were). */
  readonly bestCoverage: number;
  /** Whether every result with the best coverage was opened before. */
  readonly bestVisited: number;
  /** Item page: subject covered by the title and attributes, asked-for options done, price within budget. */
  readonly itemCoverage: number;
  readonly optionsDone: number;
  readonly optionsMissing: number;
  readonly priceOk: number;
}

function pageContext(facts: InstructionFacts, view: ShopView, memory: EpisodeMemory): PageContext {
  const titleCoverage = new Map<string, number>();
  if (view.page === 'results') {
    for (const r of view.results) titleCoverage.set(r.id.toLowerCase(), coverage(facts.subject, tokenize(r.title)));
  }
  const unopened = [...titleCoverage].filter(([id]) => !memory.clicked.has(id));
  const bestCoverage = Math.max(0, ...unopened.map(([, c]) => c));
  const bestOverall = Math.max(0, ...titleCoverage.values());
  const best = [...titleCoverage].filter(([, c]) => c >= bestOverall).map(([id]) => id);
  const bestVisited = best.length > 0 && best.every((id) => memory.clicked.has(id)) ? 1 : 0;
  const queryCoverage = view.page === 'results' ? coverage(facts.words, tokenize(view.query)) : 0;
  const base = { memory, queryCoverage, titleCoverage, bestCoverage, bestVisited };
  if (view.page !== 'item') return { ...base, itemCoverage: 0, optionsDone: 0, optionsMissing: 0, priceOk: 0 };
  const { item } = view;
  const itemWords = [...tokenize(item.title), ...item.attributes.flatMap((a) => tokenize(a))];
  const progress = optionProgress(facts, view);
  return {
    ...base,
    itemCoverage: coverage(facts.subject, itemWords),
    optionsDone: progress.done,
    optionsMissing: progress.missing,
    priceOk: withinBudget(facts, item.price),
  };
}

function shopFeatures(facts: InstructionFacts, view: ShopView, page: PageContext, action: string): Features {
  const match = /^\s*(search|click)\s*\[(.*)\]\s*$/i.exec(action);
  if (!match) return [['invalid', 1]];
  const verb = match[1].toLowerCase();
  const target = match[2].trim().toLowerCase();
  if (verb === 'search') {
    if (page.memory.searched.has(normalizeText(target))) return [['search:repeat', 1]];
    const words = tokenize(target);
    return [
      ['search', 1],
      ['search:coverage', coverage(facts.words, words)],
      ['search:subject', coverage(facts.subject, words)],
      ['search:precision', words.length === 0 ? 0 : words.filter((w) => facts.words.has(w)).length / words.length],
    ];
  }
  if (view.page === 'results') return resultsFeatures(facts, view, page, target);
  if (view.page === 'item') return itemFeatures(facts, view, page, target);
  return [[`${view.page}:click`, 1]];
}

function resultsFeatures(facts: InstructionFacts, view: ResultsView, page: PageContext, target: string): Features {
  const bestGap = 1 - page.bestCoverage;
  if (target === 'next >') return [['results:next*best-gap', bestGap], ['results:next*best-visited', page.bestVisited]];
  if (target === '< prev') return [['results:prev', 1]];
  if (target === 'back to search') return [['results:back*query-gap', 1 - page.queryCoverage], ['results:back*best-gap', bestGap]];
  const index = view.results.findIndex((r) => r.id.toLowerCase() === target);
  if (index === -1) return [['results:unknown', 1]];
  if (page.memory.clicked.has(target)) return [['results:revisit', 1]];
  const cover = page.titleCoverage.get(target) ?? 0;
  return [
    ['results:item*coverage', cover],
    ['results:item*best-match', cover >= page.bestCoverage ? cover : 0],
    ['results:item*price-ok', cover * withinBudget(facts, view.results[index].price)],
    ['results:item*rank', index / 5],
  ];
}

function itemFeatures(facts: InstructionFacts, view: ItemView, page: PageContext, target: string): Features {
  const { itemCoverage, optionsDone: done, optionsMissing: missing, priceOk } = page;
  const fit = itemCoverage * priceOk * (1 - missing);
  const perfect = fit === 1 ? 1 : 0;
  if (target === 'buy now') {
    return [['item:buy', 1], ['item:buy*options-done', done], ['item:buy*all-done', done === 1 ? 1 : 0],
      ['item:buy*fit', fit], ['item:buy*perfect', perfect * (done === 1 ? 1 : 0)]];
  }
  if (target === '< prev') {
    return [['item:prev', 1], ['item:prev*fit', fit], ['item:prev*missing', missing], ['item:prev*imperfect', 1 - perfect]];
  }
  if (target === 'back to search') return [['item:back', 1], ['item:back*fit', fit]];
  const option = view.item.options.find((o) => o.values.some((v) => v.toLowerCase() === target));
  if (!option) return [['item:unknown', 1]];
  if (option.selected?.toLowerCase() === target) return [['item:option:reselect', 1]];
  if (facts.optionValues.has(target)) return [['item:option:asked', 1]];
  // Replacing an asked value already selected in this dimension undoes progress; elsewhere it is merely useless.
  const replacesAsked = option.selected !== null && facts.optionValues.has(option.selected.toLowerCase()) ? 1 : 0;
  return [['item:option:other', 1], ['item:option:other*replaces-asked', replacesAsked]];
}

/** Of the option values the instruction asks for: the share selected here, and the share this item does not sell. */
function optionProgress(facts: InstructionFacts, view: ItemView): { done: number; missing: number } {
  const asked = facts.optionValues.size;
  if (asked === 0) return { done: 1, missing: 0 };
  let sold = 0, done = 0;
  for (const option of view.item.options) {
    for (const value of option.values) {
      if (!facts.optionValues.has(value.toLowerCase())) continue;
      sold++;
      if (option.selected === value) done++;
    }
  }
  return { done: done / asked, missing: (asked - sold) / asked };
}

function withinBudget(facts: InstructionFacts, price: number): number {
  return facts.budget === undefined || price <= facts.budget ? 1 : 0;
}

/**
 * The shop's feature set for the built-in policy: `actionFeatures` over the instruction's facts and the episode's
 * memory.
 *
 * @example
 * shopPolicyFeatures.actionFeatures(task.instruction, 'page: search', ['search[red t-shirt]'], []);
 */
export const shopPolicyFeatures: PolicyFeatures = {
  featureSet: 'shop-text-v5',
  actionFeatures: (instruction, state, actions, earlier) =>
    actionFeatures(instructionFacts(instruction), state, actions, episodeMemory(earlier)),
};
