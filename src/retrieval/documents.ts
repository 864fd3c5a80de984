/**
 * From a record's text fields to a sparse, unit-length vector over the shared vocabulary:
 * for each field, weight × (1 + ln tf) per stem, plus the thesaurus concepts the field evokes
 * (term « §concept.id »); then × idf, then L2-normalised, so that a dot product is a cosine.
 */
import { analyze, type Term } from '../text/analyze.ts';
import type { ConceptHit, Thesaurus } from '../text/thesaurus.ts';
import { conceptTerm } from './terms.ts';
import type { TermIds } from './vocabulary.ts';

export interface TextField { name: string; text: string | undefined; weight: number }

export interface AnalysedField { name: string; weight: number; terms: Term[]; concepts: ConceptHit[] }

/** Raw (pre-idf) term weights of a document: parallel arrays, term ids ascending. */
export interface TermBag { ids: Int32Array; weights: Float32Array }

export interface SparseVector { ids: Int32Array; weights: Float32Array }

export const EMPTY_VECTOR: SparseVector = { ids: new Int32Array(0), weights: new Float32Array(0) };

export function analyseFields(fields: readonly TextField[], thesaurus: Thesaurus): AnalysedField[] {
  return fields.map((f) => {
    const terms = analyze(f.text);
    return { name: f.name, weight: f.weight, terms, concepts: thesaurus.find(terms) };
  });
}

/**
 * Term bag of analysed fields; `conceptWeight` scales the thesaurus terms. With it, `surfaces`:
 * the first words as written behind each term (a word, or the phrase that evoked a concept).
 */
export function bagOf(fields: readonly AnalysedField[], vocabulary: TermIds, conceptWeight: number): TermBag & { surfaces: string[] } {
  const weights = new Map<number, number>();
  const first = new Map<number, string>();
  const add = (id: number, w: number) => weights.set(id, (weights.get(id) ?? 0) + w);
  for (const field of fields) {
    const counts = new Map<number, number>();
    for (const t of field.terms) {
      const id = vocabulary.intern(t.stem);
      counts.set(id, (counts.get(id) ?? 0) + 1);
      if (!first.has(id)) first.set(id, t.surface);
    }
    for (const [id, tf] of counts) add(id, field.weight * (1 + Math.log(tf)));
    const concepts = new Map<number, number>();
    for (const hit of field.concepts) {
      const id = vocabulary.intern(conceptTerm(hit.concept.id));
      concepts.set(id, Math.min(2 * hit.concept.weight, (concepts.get(id) ?? 0) + hit.weight));
      if (!first.has(id)) first.set(id, hit.surface);
    }
    for (const [id, w] of concepts) add(id, field.weight * conceptWeight * w);
  }
  const ids = Int32Array.from(weights.keys()).sort();
  return { ids, weights: Float32Array.from(ids, (id) => weights.get(id)!), surfaces: Array.from(ids, (id) => first.get(id)!) };
}

/** idf-weighted, unit-length vector of a bag. */
export function vectorOf(bag: TermBag, vocabulary: TermIds): SparseVector {
  const weights = new Float32Array(bag.ids.length);
  let norm = 0;
  for (let i = 0; i < bag.ids.length; i++) {
    const w = bag.weights[i] * vocabulary.idf(bag.ids[i]);
    weights[i] = w;
    norm += w * w;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < weights.length; i++) weights[i] /= norm;
  return { ids: bag.ids, weights };
}

/** Cosine of two unit vectors: a merge of their sorted term ids. */
export function cosine(a: SparseVector, b: SparseVector): number {
  let i = 0, j = 0, sum = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i], y = b.ids[j];
    if (x === y) { sum += a.weights[i++] * b.weights[j++]; }
    else if (x < y) i++;
    else j++;
  }
  return sum;
}

/**
 * One query vector spread over a dense array, for many dot products against it: each product is
 * then a lookup per term of the other vector instead of a merge of two sorted lists (the merge's
 * branches cost most of a query's cosines). The products and their order are those of `cosine`, so
 * the values are the same to the last bit. Load, take the products, clear (a scratch reused across
 * queries: clearing touches only the loaded terms).
 */
export class DenseQuery {
  private dense = new Float64Array(1024);
  private loaded: Int32Array = new Int32Array(0);

  load(vector: SparseVector): this {
    this.clear();
    const { ids, weights } = vector;
    const top = ids.length > 0 ? ids[ids.length - 1] : -1;
    if (top >= this.dense.length) this.dense = new Float64Array(Math.max(top + 1, 2 * this.dense.length));
    for (let i = 0; i < ids.length; i++) this.dense[ids[i]] = weights[i];
    this.loaded = ids;
    return this;
  }

  /** cosine(loaded, b): both vectors are unit-length, so their dot product. */
  dot(b: SparseVector): number {
    const { dense } = this, { ids, weights } = b, n = dense.length;
    let sum = 0;
    for (let j = 0; j < ids.length; j++) {
      const id = ids[j];
      if (id < n) {
        const w = dense[id];
        if (w !== 0) sum += w * weights[j];
      }
    }
    return sum;
  }

  clear(): void {
    for (let i = 0; i < this.loaded.length; i++) this.dense[this.loaded[i]] = 0;
    this.loaded = new Int32Array(0);
  }
}

/** Term ids two vectors share, their positions `i` in a and `j` in b, and the weight product (largest first). */
export function sharedTerms(a: SparseVector, b: SparseVector): { id: number; i: number; j: number; weight: number }[] {
  const out: { id: number; i: number; j: number; weight: number }[] = [];
  let i = 0, j = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i], y = b.ids[j];
    if (x === y) { out.push({ id: x, i, j, weight: a.weights[i] * b.weights[j] }); i++; j++; }
    else if (x < y) i++;
    else j++;
  }
  // -1, 0 or 1, not the difference: a double the sort would allocate at each comparison.
  return out.sort((p, q) => (q.weight > p.weight ? 1 : q.weight < p.weight ? -1 : 0));
}
