/**
 * Stem membership through the vocabulary and a document's sorted term ids: as fast as a Set,
 * without a Set of strings per record (200,000 structures would hold millions of them).
 */
import type { TermIds } from './vocabulary.ts';

/** Membership of stems in a text, without keeping a Set per record. */
export interface StemLookup { has(stem: string): boolean }

export function stemLookup(vocabulary: TermIds, termIds: Int32Array): StemLookup {
  return {
    has(stem: string): boolean {
      const id = vocabulary.find(stem);
      if (id === undefined) return false;
      let lo = 0, hi = termIds.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (termIds[mid] === id) return true;
        if (termIds[mid] < id) lo = mid + 1; else hi = mid - 1;
      }
      return false;
    },
  };
}
