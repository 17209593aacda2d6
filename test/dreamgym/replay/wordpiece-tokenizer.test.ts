import { describe, expect, it } from 'vitest';
import { WordPieceTokenizer } from '../../../core/dreamgym/embed/wordpiece-tokenizer.ts';

const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'un', '##aff', '##able', 'red', 'shirt', '##s', '!', '$', '12', '.', '50', 'cafe'].join('\n');

describe('the WordPiece tokenizer', () => {
  it('splits words greedily into the longest pieces the vocabulary has', () => {
    // Prepare
    const tokenizer = WordPieceTokenizer.fromVocab(VOCAB);
    // Act
    const encoding = tokenizer.encode('Unaffable red Shirts!');
    // Assess
    expect(encoding.tokens).toEqual(['[CLS]', 'un', '##aff', '##able', 'red', 'shirt', '##s', '!', '[SEP]']);
    expect(encoding.ids).toEqual([2, 4, 5, 6, 7, 8, 9, 10, 3]);
  });

  it('splits punctuation and symbols off, strips accents and maps unknown words to [UNK]', () => {
    const tokenizer = WordPieceTokenizer.fromVocab(VOCAB);
    expect(tokenizer.tokenize('$12.50 café zebra')).toEqual(['$', '12', '.', '50', 'cafe', '[UNK]']);
  });

  it('truncates to maxLength with [CLS] and [SEP] kept', () => {
    const tokenizer = WordPieceTokenizer.fromVocab(VOCAB, { maxLength: 4 });
    expect(tokenizer.encode('red red red red').tokens).toEqual(['[CLS]', 'red', 'red', '[SEP]']);
  });

  it('refuses a vocabulary without the BERT special tokens', () => {
    expect(() => WordPieceTokenizer.fromVocab('a\nb', {}, 'models/x/vocab.txt')).toThrow(/models\/x\/vocab.txt has no \[UNK\]/);
  });
});
