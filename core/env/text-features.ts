import type { Features, PolicyFeatures } from './environment-kind.ts';
import { coverage, instructionWords, type InstructionWords } from './instruction-words.ts';
import { normalizeText, tokenize } from './tokenize.ts';

/** What features may know of the episode so far: the click targets used (items opened) and the queries searched. */
export interface EpisodeMemory {
  readonly clicked: ReadonlySet<string>;
  readonly searched: ReadonlySet<string>;
}

export const NO_MEMORY: EpisodeMemory = { clicked: new Set(), searched: new Set() };

/** The memory after `actions` (oldest first). */
export function episodeMemory(actions: Iterable<string | null>): EpisodeMemory {
  const clicked = new Set<string>();
  const searched = new Set<string>();
  for (const action of actions) {
    const match = action === null ? null : /^\s*(click|search)\s*\[(.*)\]\s*$/i.exec(action);
    if (!match) continue;
    (match[1].toLowerCase() === 'click' ? clicked : searched).add(normalizeText(match[2]));
  }
  return { clicked, searched };
}

/**
 * Features for states that are not `shop` pages (AgentGym servers' text): the verb, how much of the action's words
 * the instruction asks for, and for `verb[target]` actions on ` [SEP] `-joined pages (WebShop) how much of the
 * instruction the text after the target covers (a product's title after its id), an indicator of the target where
 * it names a button rather than an id (no digits, at most three words), and a repeat indicator.
 */
export function textFeatures(facts: InstructionWords, action: string, segments: readonly string[], memory: EpisodeMemory): Features {
  const verb = /^\s*([a-z_]+)/i.exec(action)?.[1]?.toLowerCase() ?? 'text';
  const target = /^\s*(?:click|search)\s*\[(.*)\]\s*$/i.exec(action)?.[1]?.trim().toLowerCase();
  if (target !== undefined && (verb === 'click' ? memory.clicked : memory.searched).has(normalizeText(target))) {
    return [[`generic:${verb}:repeat`, 1]];
  }
  const words = tokenize(target ?? action);
  const overlap = words.length === 0 ? 0 : words.filter((w) => facts.words.has(w)).length / words.length;
  const features: [string, number][] = [[`generic:${verb}`, 1], ['generic:overlap', overlap]];
  if (verb === 'search') features.push(['generic:search:coverage', coverage(facts.words, words)]);
  if (target === undefined || verb !== 'click') return features;
  const at = segments.indexOf(target);
  if (at !== -1 && at + 1 < segments.length && /\d/.test(target)) {
    features.push(['generic:click:context', coverage(facts.subject, tokenize(segments[at + 1]))]);
  }
  if (!/\d/.test(target) && target.split(' ').length <= 3) {
    features.push([`generic:click:${target}`, 1]);
    if (facts.optionValues.has(target) || facts.words.has(target)) features.push(['generic:click:asked', 1]);
  }
  return features;
}

/**
 * The text feature set, for environments whose states no kind parses (AgentGym servers without their own features).
 *
 * @example
 * textPolicyFeatures.actionFeatures(instruction, 'WebShop [SEP] … [SEP] Search', ['search[red shirt]'], []);
 */
export const textPolicyFeatures: PolicyFeatures = {
  featureSet: 'text-v1',
  actionFeatures(instruction, state, actions, earlier) {
    const facts = instructionWords(instruction);
    const segments = state.split(/\s*\[SEP\]\s*/).map((s) => s.trim().toLowerCase());
    const memory = episodeMemory(earlier);
    return actions.map((action) => textFeatures(facts, action, segments, memory));
  },
};
