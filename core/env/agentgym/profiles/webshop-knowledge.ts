import { hashSeed } from '../../../random.ts';
import type { CheckedVariation, EnvironmentKind, KnownTransition, StepComposer } from '../../environment-kind.ts';
import type { Task } from '../../environment.ts';
import { instructionWords, statedPriceBound } from '../../instruction-words.ts';
import { tokenize } from '../../tokenize.ts';

interface KnownProduct {
  readonly words: ReadonlySet<string>;
  readonly price: number;
}

const SEP = /\s*\[SEP\]\s*/;

/** An instruction's words with the price bound it states (WebShop's instructions end with one). */
function instructionFacts(instruction: string) {
  return { ...instructionWords(instruction), budget: statedPriceBound(instruction) };
}

/** The products WebShop results pages in recorded states listed: `<ASIN> [SEP] <title> [SEP] $<price>`. */
export function knownWebShopProducts(known: readonly KnownTransition[]): KnownProduct[] {
  const byId = new Map<string, KnownProduct>();
  const seen = new Set<string>();
  for (const t of known) {
    for (const text of [t.state, t.nextState]) {
      if (seen.has(text) || !text.includes('Total results')) continue;
      seen.add(text);
      const parts = text.split(SEP);
      for (let i = 0; i + 2 < parts.length; i++) {
        const price = /^\$(\d+(?:\.\d+)?)$/.exec(parts[i + 2])?.[1];
        if (/^[A-Z0-9]{10}$/.test(parts[i]) && /\d/.test(parts[i]) && price !== undefined && !byId.has(parts[i])) {
          byId.set(parts[i], { words: new Set(tokenize(parts[i + 1])), price: Number(price) });
        }
      }
    }
  }
  return [...byId.values()];
}

/**
 * The WebShop curriculum over what recorded pages showed, never the server: a seed instruction is varied in its own
 * words (a tighter budget, another attribute word that known product titles of the same kind carry, an attribute
 * word swapped for one), and a variation is kept when some known product's title covers its description within the
 * budget; harder first (more words, fewer known products that fit). Option values are not judged (results pages do
 * not show them). Variations have no session on the server, so they are played in synthetic iterations only.
 */
export const webshopCurriculum: NonNullable<EnvironmentKind['curriculum']> = (known, excluded) => {
  const products = knownWebShopProducts(known);
  // Listed tasks carry no instruction until a server told it; recorded episodes of the task did
  const told = new Map(known.flatMap((t) => (t.taskId !== undefined && t.instruction !== '' ? [[t.taskId, t.instruction] as const] : [])));
  const instructionOf = (task: Task) => (task.instruction !== '' ? task.instruction : told.get(task.id) ?? '');
  const fitting = (instruction: string): number => {
    const facts = instructionFacts(instruction);
    return products.filter((p) => [...facts.subject].every((w) => p.words.has(w)) && (facts.budget === undefined || p.price <= facts.budget)).length;
  };
  const ofKind = (instruction: string): KnownProduct[] => {
    const subject = [...instructionFacts(instruction).subject];
    const type = subject[subject.length - 1];
    return type === undefined ? [] : products.filter((p) => p.words.has(type));
  };
  return {
    generator: {
      name: 'webshop-known',
      async propose(seed, count, rng) {
        const out = new Map<string, Task>();
        for (let attempt = 0; attempt < count * 6 && out.size < count; attempt++) {
          const original = instructionOf(seed);
          if (original === '') break;
          const instruction = varyInstruction(original, ofKind(original), rng);
          if (instruction === undefined || instruction === original || out.has(instruction)) continue;
          const task = { id: `webshop-var-${(hashSeed(instruction) >>> 0).toString(36)}`, instruction };
          if (!excluded(task)) out.set(instruction, task);
        }
        return [...out.values()];
      },
      async select(_seed, candidates, keep) {
        const checked: CheckedVariation[] = [];
        for (const task of candidates) {
          const fit = fitting(task.instruction);
          if (fit === 0) continue;
          const facts = instructionFacts(task.instruction);
          checked.push({ task, difficulty: facts.subject.size + Math.log2(Math.max(1, ofKind(task.instruction).length) / fit) });
        }
        return checked.sort((a, b) => b.difficulty - a.difficulty || (a.task.id < b.task.id ? -1 : 1)).slice(0, keep);
      },
    },
  };
};

function varyInstruction(instruction: string, sameKind: readonly KnownProduct[], rng: { next(): number; int(n: number): number; pick<T>(xs: readonly T[]): T }): string | undefined {
  const facts = instructionFacts(instruction);
  const subject = [...facts.subject];
  const pool = [...new Set(sameKind.flatMap((p) => [...p.words]))].filter((w) => !facts.subject.has(w) && /^[a-z][a-z-]+$/.test(w) && w !== 'by');
  const operator = rng.int(3);
  if (operator === 0 && facts.budget !== undefined && facts.budget > 10) {
    return instruction.replace(/(lower|less) than \$?\d+(?:\.\d+)?/, (m) => m.replace(/\d+(?:\.\d+)?$/, (Math.floor(facts.budget! * 0.7)).toFixed(2)));
  }
  if (pool.length === 0 || subject.length === 0) return undefined;
  const word = rng.pick(pool);
  if (operator === 1 || subject.length < 2) return instruction.replace(new RegExp(`\\b${escape(subject[0])}\\b`), `${word} ${subject[0]}`);
  const out = subject[rng.int(subject.length - 1)];
  return instruction.replace(new RegExp(`\\b${escape(out)}\\b`), word);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * What the built-in experience model may know of WebShop's first page: `WebShop [SEP] Instruction: [SEP] <instruction>
 * [SEP] Search`, so a task no recorded episode began (a curriculum variation) starts on a search page stating its own
 * instruction. Every other step is left to the nearest recorded transition.
 */
export function createWebShopComposer(): StepComposer {
  return {
    learn() {},
    compose: () => undefined,
    initialState: (task) => (task.instruction === '' ? undefined : ['WebShop', 'Instruction:', task.instruction, 'Search'].join(' [SEP] ')),
  };
}
