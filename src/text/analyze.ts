/**
 * Text analysis: tokens → content terms (stopwords and quantities out) → French stems.
 * Stems are cached per folded word: stemming costs ~3 µs a word, a cache hit ~50 ns.
 */
import { perWord } from './memo.ts';
import { stemFrench } from './natural.ts';
import { isStopword } from './stopwords.ts';
import { tokenize, type Token } from './tokenize.ts';

export interface Term {
  /** Stem of the folded word: what matching compares. */
  stem: string;
  /** The word as written, for explanations. */
  surface: string;
  /** Position of the term among the content terms of the text (for phrase matching). */
  position: number;
}

/** French stem of a folded word (cached per word, see memo.ts). */
export const stem: (folded: string) => string = perWord(stemFrench);

export const isContentToken = (t: Token): boolean =>
  t.type === 'word' && t.folded.length > 1 && !/^\d+$/.test(t.folded) && !isStopword(t.folded);

/** Content terms of a French text, in order. */
export function analyze(text: string | undefined): Term[] {
  if (!text) return [];
  const terms: Term[] = [];
  for (const token of tokenize(text)) {
    if (isContentToken(token)) terms.push({ stem: stem(token.folded), surface: token.surface, position: terms.length });
  }
  return terms;
}
