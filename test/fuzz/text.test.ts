/**
 * Property tests of the text pipeline: whatever string a partner sends (lone surrogates, NUL,
 * compatibility characters, combining marks), analysis never throws, and folding is idempotent: a
 * folded word folds to itself, so a query and a record folded once or twice meet.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/text/analyze.ts';
import { namedAmounts, sumsIn } from '../../src/text/amounts.ts';
import { fold, normalizeText } from '../../src/text/normalize.ts';
import { statedPeriod } from '../../src/text/periods.ts';
import { tokenize } from '../../src/text/tokenize.ts';
import { anyString, fuzz } from './settings.ts';

describe('the text pipeline under any input', () => {
  it('never throws on any string, lone surrogates and NUL included', () => {
    fc.assert(fc.property(anyString(300), (text) => {
      tokenize(text);
      analyze(text);
      sumsIn(text);
      namedAmounts(text);
      statedPeriod(text);
    }), fuzz(600));
  });

  it('folds a folded word to itself', () => {
    fc.assert(fc.property(anyString(40), (word) => {
      expect(fold(fold(word))).toBe(fold(word));
    }), fuzz(2000));
  });

  it('normalises a normalised text to itself', () => {
    fc.assert(fc.property(anyString(100), (text) => {
      expect(normalizeText(normalizeText(text))).toBe(normalizeText(text));
    }), fuzz(1000));
  });

  it('finds the same stems in a text written composed or decomposed', () => {
    fc.assert(fc.property(anyString(100), (text) => {
      const stems = (t: string) => analyze(t).map((term) => term.stem);
      expect(stems(text.normalize('NFD'))).toEqual(stems(text.normalize('NFC')));
    }), fuzz(1000));
  });

  it('folds compatibility letters to the lower-case letter they stand for', () => {
    expect(fold('ℌ')).toBe('h');
    expect(fold('ℍôtel')).toBe('hotel');
    expect(fold('ﬁnancement')).toBe('financement');
  });
});
