/**
 * Bounded selection of the best items: a min-heap of (score, slot) in typed arrays. Ties are
 * broken by a caller-given key so that rankings are deterministic.
 */
export class TopK {
  readonly scores: Float64Array;
  readonly slots: Int32Array;
  size = 0;

  constructor(readonly capacity: number, private readonly before: (a: number, b: number) => boolean = (a, b) => a < b) {
    this.scores = new Float64Array(capacity);
    this.slots = new Int32Array(capacity);
  }

  /** Smaller score, or on a tie the slot that sorts after: the one to drop first. */
  private worse(i: number, j: number): boolean {
    const a = this.scores[i], b = this.scores[j];
    return a < b || (a === b && this.before(this.slots[j], this.slots[i]));
  }

  /** Whether a push of this score could enter (to skip costly checks on hopeless items). */
  accepts(score: number): boolean {
    return this.capacity > 0 && (this.size < this.capacity || score >= this.scores[0]);
  }

  push(slot: number, score: number): void {
    if (this.capacity === 0) return;
    if (this.size < this.capacity) {
      this.scores[this.size] = score;
      this.slots[this.size] = slot;
      this.up(this.size++);
      return;
    }
    if (score < this.scores[0] || (score === this.scores[0] && !this.before(slot, this.slots[0]))) return;
    this.scores[0] = score;
    this.slots[0] = slot;
    this.down(0);
  }

  /** Slots best first. */
  sorted(): { slot: number; score: number }[] {
    const out = Array.from({ length: this.size }, (_, i) => ({ slot: this.slots[i], score: this.scores[i] }));
    return out.sort((a, b) => b.score - a.score || (this.before(a.slot, b.slot) ? -1 : 1));
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.worse(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < this.size && this.worse(l, m)) m = l;
      if (r < this.size && this.worse(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(i: number, j: number): void {
    const s = this.scores[i]; this.scores[i] = this.scores[j]; this.scores[j] = s;
    const t = this.slots[i]; this.slots[i] = this.slots[j]; this.slots[j] = t;
  }
}
