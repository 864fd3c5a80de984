/**
 * The shared vocabulary of both collections: term ids, document frequencies and idf.
 * One vocabulary for structures and resources keeps text similarity symmetric: the score of a
 * pair is the same whichever side asks.
 *
 * Spelling variants: a new stem of 8+ letters one edit away from a known stem (insertion,
 * deletion or substitution, found through a deletion index as in SymSpell) is read as that stem,
 * so « accompagnemnt » still meets « accompagnement ». Shorter stems are left alone: one letter
 * separates too many French words (facteur / facture).
 */
import { isConceptTerm } from './terms.ts';

export const SPELLING_MIN_LENGTH = 8;

/** What analysing a record needs of a vocabulary (the vocabulary itself, or a scratch view of it). */
export type TermIds = Pick<Vocabulary, 'find' | 'intern' | 'idf' | 'term'>;

export interface VocabularyState { terms: readonly string[]; df: Int32Array; documents: number; aliases: [string, number][] }

export class Vocabulary {
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];
  private df = new Int32Array(1024);
  private readonly deletions = new Map<string, number>();
  /** Stems read as another term because of spelling: variant → canonical term id. */
  readonly aliases = new Map<string, number>();
  documents = 0;

  get size(): number { return this.terms.length; }

  term(id: number): string { return this.terms[id]; }

  /** The id of a term; known spelling variants resolve to their canonical term. */
  find(term: string): number | undefined {
    return this.ids.get(term) ?? this.aliases.get(term);
  }

  /**
   * A scratch view for a record that is not indexed (a preview): known terms and spelling variants
   * resolve as here, new terms get ids above this vocabulary's (document frequency 0) that the
   * view forgets with it, so that previews do not grow the vocabulary.
   */
  scratch(): TermIds {
    const base = this.size;
    const extra = new Map<string, number>();
    const terms: string[] = [];
    return {
      find: (term) => this.find(term) ?? extra.get(term),
      intern: (term) => {
        const known = this.find(term) ?? extra.get(term) ?? this.variantOf(term);
        if (known !== undefined) return known;
        extra.set(term, base + terms.length);
        terms.push(term);
        return base + terms.length - 1;
      },
      idf: (id) => this.idf(id),
      term: (id) => (id < base ? this.term(id) : terms[id - base]),
    };
  }

  /** The id of a term, adding it (or resolving it as a spelling variant) when new. */
  intern(term: string): number {
    const known = this.find(term);
    if (known !== undefined) return known;
    const variantOf = this.variantOf(term);
    if (variantOf !== undefined) {
      this.aliases.set(term, variantOf);
      return variantOf;
    }
    return this.add(term);
  }

  /** Adds a new term (neither known nor a variant) with the next id. */
  private add(term: string): number {
    const id = this.terms.length;
    this.terms.push(term);
    this.ids.set(term, id);
    if (id >= this.df.length) {
      const grown = new Int32Array(this.df.length * 2);
      grown.set(this.df);
      this.df = grown;
    }
    if (hasVariants(term)) {
      for (const d of deletionsOf(term)) if (!this.deletions.has(d)) this.deletions.set(d, id);
    }
    return id;
  }

  /** Counts one more document containing each of these (distinct) term ids. */
  addDocument(termIds: Iterable<number>): void {
    this.documents++;
    for (const id of termIds) this.df[id]++;
  }

  removeDocument(termIds: Iterable<number>): void {
    this.documents = Math.max(0, this.documents - 1);
    for (const id of termIds) if (this.df[id] > 0) this.df[id]--;
  }

  documentFrequency(id: number): number { return this.df[id] ?? 0; }

  /** BM25's idf, always positive: ln(1 + (N − df + 0.5) / (df + 0.5)). */
  idf(id: number): number {
    const df = this.df[id] ?? 0;
    return Math.log(1 + (this.documents - df + 0.5) / (df + 0.5));
  }

  /** What a snapshot keeps: the terms in id order, their document frequencies, the spelling aliases. */
  exportState(): VocabularyState {
    return { terms: this.terms, df: this.df.subarray(0, this.terms.length), documents: this.documents, aliases: [...this.aliases] };
  }

  /**
   * The vocabulary a snapshot kept: terms interned again in id order (same ids, same deletion
   * index: interning is deterministic), then the frequencies and aliases as they were.
   */
  static restore(state: VocabularyState): Vocabulary {
    const v = new Vocabulary();
    for (const term of state.terms) v.add(term);
    v.df = new Int32Array(Math.max(1024, state.df.length));
    v.df.set(state.df);
    v.documents = state.documents;
    for (const [term, id] of state.aliases) v.aliases.set(term, id);
    return v;
  }

  /** The known term a new one is a spelling variant of, if any (see the header). */
  private variantOf(term: string): number | undefined {
    return hasVariants(term) ? this.spellingNeighbour(term) : undefined;
  }

  private spellingNeighbour(term: string): number | undefined {
    const direct = this.deletions.get(term);
    if (direct !== undefined) return direct; // term = known stem minus one letter
    for (const d of deletionsOf(term)) {
      const id = this.ids.get(d) ?? this.deletions.get(d);
      if (id !== undefined && Math.abs(this.terms[id].length - term.length) <= 1) return id;
    }
    return undefined;
  }
}

/** Terms read through spelling variants: long words, not thesaurus concepts. */
const hasVariants = (term: string) => term.length >= SPELLING_MIN_LENGTH && !isConceptTerm(term);

function* deletionsOf(term: string): Generator<string> {
  for (let i = 0; i < term.length; i++) yield term.slice(0, i) + term.slice(i + 1);
}
