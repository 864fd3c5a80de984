/**
 * The words as written, for explanations, without keeping the analysed texts of 250,000 records:
 * each distinct surface (« Atelier », « surface commerciale ») is stored once in a pool, and a
 * record keeps, for each term of its vector, the pool id of the first surface that produced it.
 */
import type { AnalysedField } from './documents.ts';
import { conceptTerm } from './documents.ts';
import type { Vocabulary } from './vocabulary.ts';

export class SurfacePool {
  private readonly ids = new Map<string, number>();
  private readonly texts: string[] = [];

  get size(): number { return this.texts.length; }

  intern(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.texts.push(text);
      this.ids.set(text, id);
    }
    return id;
  }

  text(id: number): string { return this.texts[id]; }
}

/**
 * Pool ids of the first surface of each term, aligned with `termIds` (ascending): a word's
 * surface, or for a concept term the phrase that evoked it. Fields are read in order.
 */
export function surfacesOf(fields: readonly AnalysedField[], vocabulary: Vocabulary, pool: SurfacePool, termIds: Int32Array): Int32Array {
  const first = new Map<number, string>();
  const note = (id: number | undefined, text: string) => { if (id !== undefined && !first.has(id)) first.set(id, text); };
  for (const f of fields) {
    for (const t of f.terms) note(vocabulary.find(t.stem), t.surface);
    for (const h of f.concepts) note(vocabulary.find(conceptTerm(h.concept.id)), h.surface);
  }
  return Int32Array.from(termIds, (id) => pool.intern(first.get(id) ?? ''));
}
