import type { ItemView, ShopResultLine } from '../view.ts';
import { words } from './shop-text.ts';

export type ItemDetails = ItemView['item'];

/**
 * What real transitions showed about each product: its results line and, once someone opened it, its item page
 * (attributes and option values). First sighting wins, so the memory is the same for the same buffer order.
 */
export class ProductMemory {
  private readonly lines = new Map<string, ShopResultLine>();
  private readonly items = new Map<string, ItemDetails>();
  private readonly attributeVocabulary = new Set<string>();
  private version = 0;

  get changes(): number {
    return this.version;
  }

  learnLine(line: ShopResultLine): void {
    const id = line.id.toLowerCase();
    if (this.lines.has(id)) return;
    this.lines.set(id, line);
    this.version++;
  }

  learnItem(item: ItemDetails): void {
    const id = item.id.toLowerCase();
    this.learnLine({ id: item.id, title: item.title, price: item.price });
    if (this.items.has(id)) return;
    const options = item.options.map((o) => ({ name: o.name, values: [...o.values], selected: null }));
    this.items.set(id, { ...item, attributes: [...item.attributes], options });
    for (const attribute of item.attributes) this.attributeVocabulary.add(attribute);
    this.version++;
  }

  /** Whether an item page of this product was ever seen. */
  hasItem(id: string): boolean {
    return this.items.has(id.toLowerCase());
  }

  /** Every product seen, with the words a search could match (title and, where known, attributes). */
  *searchable(): Iterable<{ line: ShopResultLine; words: string[] }> {
    for (const [id, line] of this.lines) {
      const attributes = this.items.get(id)?.attributes ?? [];
      yield { line, words: words([line.title, ...attributes].join(' ')) };
    }
  }

  /**
   * The item page of a product with nothing selected: as seen, or, for a product only seen in a results line, a
   * guess composed from that line and the nearest product whose page was seen (same trailing title words, the
   * product kind, then most shared words): attributes are the known attribute phrases in its title, options the
   * neighbour's. Undefined when the product was never seen at all.
   */
  item(id: string, line?: ShopResultLine): { item: ItemDetails; known: boolean } | undefined {
    const seen = this.items.get(id.toLowerCase());
    if (seen) return { item: seen, known: true };
    const base = line ?? this.lines.get(id.toLowerCase());
    if (!base) return undefined;
    const title = base.title.toLowerCase();
    const attributes = [...this.attributeVocabulary].filter((a) => ` ${title} `.includes(` ${a} `))
      .sort((a, b) => title.indexOf(a) - title.indexOf(b));
    const neighbour = this.nearestItem(base.title);
    const options = neighbour?.options.map((o) => ({ ...o, values: [...o.values], selected: null })) ?? [];
    return { item: { ...base, attributes, options }, known: false };
  }

  private nearestItem(title: string): ItemDetails | undefined {
    const target = words(title);
    let best: ItemDetails | undefined;
    let bestScore = [-1, -1];
    for (const item of this.items.values()) {
      const other = words(item.title);
      let suffix = 0;
      while (suffix < target.length && suffix < other.length && target[target.length - 1 - suffix] === other[other.length - 1 - suffix]) suffix++;
      const shared = other.filter((w) => target.includes(w)).length;
      if (suffix > bestScore[0] || (suffix === bestScore[0] && shared > bestScore[1])) {
        best = item;
        bestScore = [suffix, shared];
      }
    }
    return best;
  }
}
