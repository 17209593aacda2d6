import { InvalidInputError } from '../../errors.ts';
import type { ItemView, ShopItemOption, ShopResultLine, ShopView } from './view.ts';

/**
 * Reads the text `renderShopView` writes back into a `ShopView`; throws InvalidInputError naming the first line
 * that does not fit (an experience model's prediction can be malformed, so callers may want `tryParseShopView`).
 *
 * @example
 * parseShopView('page: failed\nreason: invalid action'); // { page: 'failed', reason: 'invalid action' }
 */
export function parseShopView(text: string): ShopView {
  const lines = text.trim().split('\n').map((line) => line.trimEnd());
  const reader: LineReader = new LineReader(lines);
  const page = reader.field('page');
  let view: ShopView;
  switch (page) {
    case 'search':
      view = { page };
      break;
    case 'results': {
      const query = reader.field('query');
      const showing = /^page (\d+) of (\d+), (\d+) results$/.exec(reader.field('showing'));
      if (!showing) reader.fail('showing: page N of M, T results');
      const results: ShopResultLine[] = [];
      while (!reader.atEnd()) results.push(parseResultLine(reader.next(), reader));
      view = { page, query, pageIndex: Number(showing[1]), pageCount: Number(showing[2]), total: Number(showing[3]),
        results };
      break;
    }
    case 'item':
      view = parseItem(reader);
      break;
    case 'done': {
      const item = parseResultLine(reader.field('bought'), reader);
      const selected: { name: string; value: string }[] = [];
      while (!reader.atEnd()) {
        const match = /^selected ([^:]+): (.+)$/.exec(reader.next());
        if (!match) reader.fail('selected <option>: <value>');
        selected.push({ name: match[1], value: match[2] });
      }
      view = { page, item, selected };
      break;
    }
    case 'failed':
      view = { page, reason: reader.field('reason') };
      break;
    default:
      throw new InvalidInputError(`shop state has an unknown page "${page}"`);
  }
  reader.expectEnd();
  return view;
}

/** `parseShopView` that returns undefined instead of throwing. */
export function tryParseShopView(text: string): ShopView | undefined {
  try {
    return parseShopView(text);
  } catch {
    return undefined;
  }
}

function parseItem(reader: LineReader): ItemView {
  const query = reader.field('query');
  const id = reader.field('item');
  const title = reader.field('title');
  const price = parsePrice(reader.field('price'), reader);
  const attributesText = reader.field('attributes');
  const attributes = attributesText === '' ? [] : attributesText.split(', ');
  const options: ShopItemOption[] = [];
  while (!reader.atEnd()) {
    const match = /^option ([^:]+): (.+)$/.exec(reader.next());
    if (!match) reader.fail('option <name>: <values>');
    let selected: string | null = null;
    const values = match[2].split(', ').map((value) => {
      if (value.startsWith('[') && value.endsWith(']')) {
        selected = value.slice(1, -1);
        return selected;
      }
      return value;
    });
    options.push({ name: match[1], values, selected });
  }
  return { page: 'item', query, item: { id, title, price, attributes, options } };
}

function parseResultLine(line: string, reader: LineReader): ShopResultLine {
  const colon = line.indexOf(': ');
  const dollar = line.lastIndexOf(' $');
  if (colon <= 0 || dollar <= colon) reader.fail('<id>: <title> $<price>');
  const price = parsePrice(line.slice(dollar + 1), reader);
  return { id: line.slice(0, colon), title: line.slice(colon + 2, dollar), price };
}

function parsePrice(text: string, reader: LineReader): number {
  if (!/^\$\d+(\.\d+)?$/.test(text)) reader.fail('a price like $12.99');
  return Number(text.slice(1));
}

class LineReader {
  private readonly lines: readonly string[];
  private position = 0;
  /** Index of the line read last: the one a failure is about. */
  private current = 0;

  constructor(lines: readonly string[]) {
    this.lines = lines;
  }

  atEnd(): boolean {
    return this.position >= this.lines.length;
  }

  next(): string {
    if (this.atEnd()) {
      this.current = this.lines.length;
      this.fail('another line');
    }
    this.current = this.position;
    return this.lines[this.position++];
  }

  expectEnd(): void {
    if (this.atEnd()) return;
    this.current = this.position;
    this.fail('the end of the state');
  }

  /** The value of a `key: value` line, which must come next. */
  field(key: string): string {
    const line = this.next();
    const prefix = `${key}:`;
    if (!line.startsWith(prefix)) this.fail(`${key}: …`);
    return line.slice(prefix.length).trimStart();
  }

  fail(expected: string): never {
    const seen = this.current >= this.lines.length ? 'the end of the text' : `"${this.lines[this.current]}"`;
    throw new InvalidInputError(`shop state line ${this.current + 1}: expected ${expected}, got ${seen}`);
  }
}
