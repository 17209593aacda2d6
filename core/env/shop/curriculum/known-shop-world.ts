import type { ShopGoal } from '../goal.ts';
import { ShopGoalSchema } from '../goal.ts';
import { tryParseShopView } from '../parse-view.ts';
import type { ItemView } from '../view.ts';
import type { KnownTransition } from '../../environment-kind.ts';
import type { ShopVocabulary } from './vary-shop-goal.ts';

interface KnownProduct {
  readonly id: string;
  readonly type: string;
  readonly price: number;
  readonly attributes: ReadonlySet<string>;
  readonly options: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The product types real offline tasks asked for: the vocabulary that tells a type from an attribute. */
export function knownProductTypes(transitions: readonly KnownTransition[]): Set<string> {
  const types = new Set<string>();
  for (const t of transitions) {
    if (t.source === 'rollout') continue;
    const goal = ShopGoalSchema.safeParse(t.goal);
    if (goal.success) types.add(goal.data.productType);
  }
  return types;
}

/**
 * What an experience model knows about the `shop` world from its buffer, for a curriculum that must not look at the
 * real one: the product types, attributes and option values the offline tasks asked for, and the products whose
 * item pages real transitions showed (typed by the known type name their title ends with). A variation is judged
 * feasible when some known product satisfies it; the real catalog may disagree, which evaluation measures.
 *
 * @example
 * const world = KnownShopWorld.learn(binding.knowledge());
 * world.satisfying(goal).length; // known products that would satisfy the goal
 */
export class KnownShopWorld implements ShopVocabulary {
  readonly typeByName = new Map<string, { attributes: string[]; options: Record<string, string[]> }>();
  private readonly products = new Map<string, KnownProduct>();

  static learn(transitions: readonly KnownTransition[]): KnownShopWorld {
    const world = new KnownShopWorld();
    const real = transitions.filter((t) => t.source !== 'rollout');
    for (const t of real) {
      const goal = ShopGoalSchema.safeParse(t.goal);
      if (goal.success) world.learnGoal(goal.data);
    }
    const parsed = new Set<string>();
    for (const t of real) {
      for (const text of [t.state, t.nextState]) {
        if (parsed.has(text) || !text.startsWith('page: item')) continue;
        parsed.add(text);
        const view = tryParseShopView(text);
        if (view?.page === 'item') world.learnItem(view.item);
      }
    }
    return world;
  }

  get knownProducts(): number {
    return this.products.size;
  }

  /** Known products of the goal's type that satisfy it (type, attributes, option values, price). */
  satisfying(goal: ShopGoal): string[] {
    const out: string[] = [];
    for (const p of this.products.values()) {
      if (p.type !== goal.productType || p.price > goal.priceUpper) continue;
      if (!goal.attributes.every((a) => p.attributes.has(a))) continue;
      if (!Object.entries(goal.options).every(([name, value]) => p.options.get(name)?.has(value) ?? false)) continue;
      out.push(p.id);
    }
    return out;
  }

  /** Known products of a type. */
  ofType(type: string): number {
    let n = 0;
    for (const p of this.products.values()) if (p.type === type) n++;
    return n;
  }

  private learnGoal(goal: ShopGoal): void {
    const type = this.typeByName.get(goal.productType) ?? { attributes: [], options: {} };
    this.typeByName.set(goal.productType, type);
    for (const a of goal.attributes) if (!type.attributes.includes(a)) type.attributes.push(a);
    for (const [name, value] of Object.entries(goal.options)) {
      const values = (type.options[name] ??= []);
      if (!values.includes(value)) values.push(value);
    }
  }

  private learnItem(item: ItemView['item']): void {
    const id = item.id.toLowerCase();
    if (this.products.has(id)) return;
    const title = item.title.toLowerCase();
    let type: string | undefined;
    for (const name of this.typeByName.keys()) {
      if ((title === name || title.endsWith(` ${name}`)) && (!type || name.length > type.length)) type = name;
    }
    if (!type) return;
    const vocabulary = this.typeByName.get(type)!;
    for (const a of item.attributes) if (!vocabulary.attributes.includes(a)) vocabulary.attributes.push(a);
    const options = new Map<string, Set<string>>();
    for (const o of item.options) {
      options.set(o.name, new Set(o.values));
      const values = (vocabulary.options[o.name] ??= []);
      for (const v of o.values) if (!values.includes(v)) values.push(v);
    }
    this.products.set(id, { id, type, price: item.price, attributes: new Set(item.attributes), options });
  }
}
