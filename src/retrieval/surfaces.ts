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

  /** Pool ids of these surfaces (a term bag's `surfaces`, aligned with its term ids). */
  internAll(texts: readonly string[]): Int32Array {
    const ids = new Int32Array(texts.length);
    for (let i = 0; i < texts.length; i++) ids[i] = this.intern(texts[i]);
    return ids;
  }
}
