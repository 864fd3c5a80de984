/** Vectors compared across indexes, whose vocabularies may give the same term different ids. */
import type { Index } from '../../src/engine/index.ts';
import type { SparseVector } from '../../src/retrieval/documents.ts';

/** A vector as term → weight, whatever id the index's vocabulary gave each term. */
export const byTerm = (index: Index, v: SparseVector): Map<string, number> =>
  new Map(Array.from(v.ids, (id, i) => [index.vocabulary.term(id), v.weights[i]]));
