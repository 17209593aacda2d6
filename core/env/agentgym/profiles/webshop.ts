import type { AgentGymProfile, StateOffer } from './profile.ts';
import { createWebShopComposer, webshopCurriculum } from './webshop-knowledge.ts';

const BUTTONS = new Set(['back to search', 'next >', '< prev', 'description', 'features', 'reviews', 'buy now']);

/**
 * A WebShop text page's offer from its ` [SEP] ` segments: the search page (ending in `Search`) offers the search
 * template; results and item pages their buttons and the product ids (ASINs) they list; the purchase page
 * ("Thank you for shopping with us!") ends the episode. Option values are not told apart from other text.
 */
function readWebShopOffer(state: string): StateOffer | undefined {
  const parts = state.split(/\s*\[SEP\]\s*/).map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) return undefined;
  if (/thank you for shopping/i.test(parts[0])) return { actions: [], templates: [], terminal: true };
  if (parts[parts.length - 1].toLowerCase() === 'search' && !parts.some((p) => p.toLowerCase() === 'back to search')) {
    return { actions: [], templates: ['search[<query>]'], terminal: false };
  }
  const actions = new Set<string>();
  for (const part of parts) {
    const lower = part.toLowerCase();
    if (BUTTONS.has(lower)) actions.add(`click[${lower}]`);
    else if (/^[A-Z0-9]{10}$/.test(part) && /\d/.test(part)) actions.add(`click[${lower}]`);
  }
  return actions.size === 0 ? undefined : { actions: [...actions], templates: [], terminal: false };
}

/**
 * AgentGym's WebShop server: `env_idx`, `/reset` with `session_id`, `/available_actions` answering
 * `{ has_search_bar, clickables }` (the search button listed as `search`), `search[<query>]` while the page has a
 * search bar, and observations joined with ` [SEP] ` that begin `WebShop [SEP] Instruction: [SEP] <instruction>`.
 * Session ids are WebShop's 12,087 human goals, split as in the WebShop paper: 0–499 test, 500–1,499 development,
 * 1,500 onwards training. Its curriculum varies instructions in their own words, judged against the products
 * recorded results pages listed (webshop-knowledge.ts).
 */
export const webshopProfile: AgentGymProfile = {
  name: 'webshop',
  idField: 'env_idx',
  resetBody: { session_id: '{session}' },
  actions: 'endpoint',
  templates: ['search[<query>]'],
  rewardField: 'reward',
  instructionFrom: (observation) => {
    const parts = observation.split(/\s*\[SEP\]\s*/);
    const at = parts.findIndex((part) => /^instruction:?$/i.test(part.trim()));
    const text = at === -1 ? undefined : parts[at + 1]?.trim();
    return text ? text : undefined;
  },
  readOffer: readWebShopOffer,
  curriculum: webshopCurriculum,
  experienceKnowledge: createWebShopComposer,
  ranges: {
    offline: { start: 1500, end: 12087 },
    heldOut: { start: 500, end: 1500 },
    evaluation: { start: 0, end: 500 },
  },
};
