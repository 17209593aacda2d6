import { InvalidInputError } from '../../errors.ts';

export interface WordPieceOptions {
  /** Lower-case and strip accents first, as uncased BERT models expect; true by default. */
  readonly lowercase?: boolean;
  /** Longest sequence in tokens, [CLS] and [SEP] included; 128 by default. */
  readonly maxLength?: number;
}

export interface Encoding {
  readonly ids: number[];
  readonly tokens: string[];
}

const MAX_WORD_CHARS = 100;
const SPECIAL = { unknown: '[UNK]', classify: '[CLS]', separate: '[SEP]', pad: '[PAD]' } as const;

/**
 * BERT's tokenizer: basic splitting (whitespace, punctuation and ASCII symbols as separate tokens, CJK characters,
 * optional lower-casing with accent stripping), then greedy longest-match-first WordPiece over `vocab.txt`
 * (one token per line, the line number is the id), with `##` marking a word's continuation pieces.
 *
 * @example
 * const tokenizer = WordPieceTokenizer.fromVocab(await readFile('vocab.txt', 'utf8'));
 * tokenizer.encode('Unaffable shirts!').tokens; // ['[CLS]', 'un', '##aff', '##able', 'shirts', '!', '[SEP]']
 */
export class WordPieceTokenizer {
  readonly vocabulary: ReadonlyMap<string, number>;
  readonly padId: number;
  private readonly lowercase: boolean;
  private readonly maxLength: number;

  private constructor(vocabulary: Map<string, number>, options: WordPieceOptions) {
    this.vocabulary = vocabulary;
    this.lowercase = options.lowercase ?? true;
    this.maxLength = options.maxLength ?? 128;
    if (!Number.isInteger(this.maxLength) || this.maxLength < 2) {
      throw new InvalidInputError(`tokenizer maxLength must be an integer of at least 2, got ${this.maxLength}`);
    }
    this.padId = vocabulary.get(SPECIAL.pad) ?? 0;
  }

  static fromVocab(text: string, options: WordPieceOptions = {}, source = 'vocab.txt'): WordPieceTokenizer {
    const vocabulary = new Map<string, number>();
    text.split(/\r?\n/).forEach((token, id) => {
      if (token !== '' && !vocabulary.has(token)) vocabulary.set(token, id);
    });
    for (const token of [SPECIAL.unknown, SPECIAL.classify, SPECIAL.separate]) {
      if (!vocabulary.has(token)) throw new InvalidInputError(`${source} has no ${token} token; is it a BERT WordPiece vocabulary?`);
    }
    return new WordPieceTokenizer(vocabulary, options);
  }

  /** [CLS] pieces… [SEP], truncated to maxLength. */
  encode(text: string): Encoding {
    const pieces = this.tokenize(text).slice(0, this.maxLength - 2);
    const tokens = [SPECIAL.classify, ...pieces, SPECIAL.separate];
    return { tokens, ids: tokens.map((t) => this.vocabulary.get(t) ?? this.vocabulary.get(SPECIAL.unknown)!) };
  }

  /** The WordPiece tokens of a text, without the special tokens. */
  tokenize(text: string): string[] {
    return this.basicTokens(text).flatMap((word) => this.wordPieces(word));
  }

  private basicTokens(text: string): string[] {
    let clean = text.replace(/[\u0000\ufffd]|[\p{Cc}\p{Cf}]/gu, (c) => (/\s/.test(c) ? ' ' : ''));
    clean = clean.replace(/[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]/g, (c) => ` ${c} `);
    if (this.lowercase) clean = clean.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
    return clean.split(/\s+/).filter(Boolean).flatMap((word) => word.split(/([\p{P}$+<=>^`|~])/u).filter(Boolean));
  }

  private wordPieces(word: string): string[] {
    const chars = [...word];
    if (chars.length > MAX_WORD_CHARS) return [SPECIAL.unknown];
    const pieces: string[] = [];
    for (let start = 0; start < chars.length;) {
      let end = chars.length;
      let piece: string | undefined;
      while (start < end) {
        const candidate = (start > 0 ? '##' : '') + chars.slice(start, end).join('');
        if (this.vocabulary.has(candidate)) {
          piece = candidate;
          break;
        }
        end--;
      }
      if (piece === undefined) return [SPECIAL.unknown];
      pieces.push(piece);
      start = end;
    }
    return pieces;
  }
}
