/**
 * A word-level cache for the text pipeline: the same few hundred thousand words come back in every
 * record, so folding and stemming each distinct word once saves most of the analysis. Bounded:
 * cleared when full (a national vocabulary stays far below the bound).
 */
export const WORD_CACHE_LIMIT = 500_000;

export function perWord(compute: (word: string) => string, limit = WORD_CACHE_LIMIT): (word: string) => string {
  const cache = new Map<string, string>();
  return (word) => {
    let value = cache.get(word);
    if (value === undefined) {
      value = compute(word);
      if (cache.size >= limit) cache.clear();
      cache.set(word, value);
    }
    return value;
  };
}
