/**
 * The words as written, for explanations, without keeping the analysed texts of 250,000 records:
 * each distinct surface (« Atelier », « surface commerciale ») is stored once in a pool, and a
 * record keeps, for each term of its vector, the pool id of the first surface that produced it
 * (a word, or the phrase that evoked a concept; see `bagOf`).
 */
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

  /** Every surface in id order (what a snapshot keeps). */
  all(): readonly string[] { return this.texts; }

  /** A pool holding these surfaces with ids by position. */
  static of(texts: readonly string[]): SurfacePool {
    const pool = new SurfacePool();
    for (const text of texts) pool.intern(text);
    return pool;
  }

  /** Pool ids of these surfaces (a term bag's `surfaces`, aligned with its term ids). */
  internAll(texts: readonly string[]): Int32Array {
    return internAll(this, texts);
  }

  /** A scratch view for a record that is not indexed (a preview): new surfaces are forgotten with it. */
  scratch(): SurfaceIds {
    const base = this.size;
    const extra = new Map<string, number>();
    const texts: string[] = [];
    const view: SurfaceIds = {
      intern: (text) => {
        const known = this.ids.get(text) ?? extra.get(text);
        if (known !== undefined) return known;
        extra.set(text, base + texts.length);
        texts.push(text);
        return base + texts.length - 1;
      },
      text: (id) => (id < base ? this.text(id) : texts[id - base]),
      internAll: (list) => internAll(view, list),
    };
    return view;
  }
}

/** What indexing and explaining need of a pool (the pool itself, or a scratch view of it). */
export type SurfaceIds = Pick<SurfacePool, 'intern' | 'text' | 'internAll'>;

function internAll(pool: Pick<SurfacePool, 'intern'>, texts: readonly string[]): Int32Array {
  const ids = new Int32Array(texts.length);
  for (let i = 0; i < texts.length; i++) ids[i] = pool.intern(texts[i]);
  return ids;
}
