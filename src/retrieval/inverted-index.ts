/**
 * Typed-array inverted index over the unit vectors of one collection.
 * A frozen part in CSR form (offsets / docs / weights) holds what was there at build time;
 * documents added later go to per-term growable tails, and a removed or replaced document is
 * only marked dead, so a change is matchable at once without a rebuild. `compact()` folds
 * everything back into the frozen part.
 */
import type { SparseVector } from './documents.ts';

interface Tail { docs: number[]; weights: number[] }

/**
 * The slots a search may score: those whose stamp equals `stamp`. When `runs` is set, the same
 * slots as `runCount` ascending, disjoint runs of consecutive slots (`runs[2k]` ≤ slot <
 * `runs[2k + 1]`): a long posting list is then read only where it crosses them (its slots are in
 * ascending order), instead of being checked posting by posting.
 */
export interface SlotFilter { stamps: Uint32Array; stamp: number; runs?: Int32Array; runCount?: number }

/**
 * A posting list is walked run by run (a binary search to each run's start) when it is longer
 * than this many times the filter's runs; otherwise read whole, each posting checked.
 */
export const RUN_WALK_FACTOR = 8;

/**
 * The first position in `docs[from, to)` (ascending) whose slot is at least `slot` (`to` if none):
 * by steps doubling from `from`, then a binary search in the last step. Runs are searched in order,
 * each from the end of the one before, so the answer is usually near: a few reads close together
 * instead of a binary search over the rest of a long list.
 */
function firstAtLeast(docs: Int32Array, from: number, to: number, slot: number): number {
  if (from >= to || docs[from] >= slot) return from;
  let lo = from + 1, step = 1;
  while (lo + step < to && docs[lo + step - 1] < slot) { lo += step; step *= 2; }
  let hi = Math.min(lo + step, to);
  // docs[lo - 1] < slot, and docs[hi - 1] >= slot unless hi = to
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (docs[mid] < slot) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class InvertedIndex {
  private offsets = new Int32Array(1);
  private docs = new Int32Array(0);
  private weights = new Float32Array(0);
  private tails = new Map<number, Tail>();
  /** The largest weight of each term in any document (an upper bound once documents are removed): for search bounds. */
  private maxWeights = new Float32Array(0);
  private alive = new Uint8Array(1024);
  private scores = new Float32Array(1024);
  private touched = new Int32Array(1024);
  /** Results of the last `accumulate` (as many as it returned; overwritten by the next call): slots and dot products. */
  hitSlots = new Int32Array(1024);
  hitScores = new Float32Array(1024);
  /** The second query's dot products of the hits of the last `accumulateTwo`. */
  hitScores2 = new Float32Array(1024);
  private scores2 = new Float32Array(1024);
  /** Scratch of `segmentsOf`: [from, to) positions in the postings. */
  private segments = new Int32Array(64);
  /** Scratch of `lateTerms`: per position of the query, 1 for a late term; and the positions by postings, longest first. */
  private late = new Uint8Array(64);
  private order = new Int32Array(64);
  /**
   * After a search with a floor: an upper bound of the dot product of a document it left out that
   * shares terms with the query (it shares late terms only: see `accumulate`); 0 without a floor.
   */
  lateBound = 0;
  /** Vectors by slot, kept to compact and to compute exact cosines. */
  readonly vectors: SparseVector[] = [];

  get slots(): number { return this.vectors.length; }

  isAlive(slot: number): boolean { return this.alive[slot] === 1; }

  /** Builds the frozen part from all vectors at once (slot = position). */
  static build(vectors: SparseVector[], termCount: number): InvertedIndex {
    const index = new InvertedIndex();
    for (const v of vectors) index.vectors.push(v); // not push(...vectors): 200,000 arguments overflow the stack
    index.ensureCapacity(vectors.length);
    index.alive.fill(1, 0, vectors.length);
    index.freeze(termCount);
    return index;
  }

  /** Adds a document; returns its slot. */
  add(vector: SparseVector): number {
    const slot = this.vectors.length;
    this.vectors.push(vector);
    this.ensureCapacity(slot + 1);
    this.alive[slot] = 1;
    for (let i = 0; i < vector.ids.length; i++) {
      this.noteWeight(vector.ids[i], vector.weights[i]);
      let tail = this.tails.get(vector.ids[i]);
      if (!tail) this.tails.set(vector.ids[i], (tail = { docs: [], weights: [] }));
      tail.docs.push(slot);
      tail.weights.push(vector.weights[i]);
    }
    return slot;
  }

  remove(slot: number): void { this.alive[slot] = 0; }

  /** How many documents (live or not yet compacted) a term's postings hold. */
  postings(term: number): number {
    const frozen = term + 1 < this.offsets.length ? this.offsets[term + 1] - this.offsets[term] : 0;
    return frozen + (this.tails.get(term)?.docs.length ?? 0);
  }

  /** The largest weight the term has in a document of this index (0 when none holds it). */
  maxWeight(term: number): number { return term < this.maxWeights.length ? this.maxWeights[term] : 0; }

  private noteWeight(term: number, weight: number): void {
    if (term >= this.maxWeights.length) {
      const grown = new Float32Array(Math.max(term + 1, 2 * this.maxWeights.length));
      grown.set(this.maxWeights);
      this.maxWeights = grown;
    }
    if (weight > this.maxWeights[term]) this.maxWeights[term] = weight;
  }

  /**
   * Dot product of the query with every live document sharing a term, through the postings.
   * Writes each live document with a positive score to `hitSlots` / `hitScores` and returns how
   * many (typed arrays, not a callback: a double passed to a call that is not inlined is boxed,
   * and this runs for thousands of documents per query). Terms held by more than
   * `maxPostings` documents are skipped: at national scale they are the common words whose long
   * lists cost most and rank least (callers recompute exact cosines for the candidates). With a
   * `filter`, only the slots it admits are scored (geographic blocking).
   *
   * With a `floor`, documents whose dot product stays below it may be left out (in the manner of
   * MaxScore, Turtle & Flood, 1995): the query's terms with the longest lists whose largest
   * contributions (query weight × the term's largest weight in a document) sum below the floor
   * are late. They are read after the others, and only for the documents those found: a document
   * sharing late terms only is not returned, and its dot product is at most `lateBound`. The
   * returned documents' sums are complete (every term), taken in another order than without a
   * floor, so they may differ from it in the last bits of float32.
   */
  accumulate(query: SparseVector, maxPostings = Infinity, filter?: SlotFilter, floor = 0): number {
    const { scores, touched, hitSlots, hitScores } = this;
    const stamps = filter?.stamps, stamp = filter?.stamp ?? 0;
    const { docs, weights } = this;
    const late = this.lateTerms(query, floor);
    let n = 0;
    // Pass 0 reads every term (or those that are not late), pass 1 the late terms, for the documents found already.
    for (let pass = 0; pass < (late === undefined ? 1 : 2); pass++) {
      const completing = pass === 1;
      for (let q = 0; q < query.ids.length; q++) {
        if (late !== undefined && late[q] !== pass) continue;
        const term = query.ids[q], qw = query.weights[q];
        if (maxPostings !== Infinity && this.postings(term) > maxPostings) continue;
        const frozen = term + 1 < this.offsets.length;
        const tail = this.tails.get(term);
        if (frozen) {
          const walked = this.segmentsOf(term, filter), check = walked < 0 && stamps !== undefined, { segments } = this;
          for (let k = 0; k < Math.abs(walked); k++) {
            for (let p = segments[2 * k]; p < segments[2 * k + 1]; p++) {
              const d = docs[p];
              if (check && stamps[d] !== stamp) continue;
              if (scores[d] === 0) {
                if (completing) continue;
                touched[n++] = d;
              }
              scores[d] += qw * weights[p];
            }
          }
        }
        if (tail) {
          for (let p = 0; p < tail.docs.length; p++) {
            const d = tail.docs[p];
            if (stamps !== undefined && stamps[d] !== stamp) continue;
            if (scores[d] === 0) {
              if (completing) continue;
              touched[n++] = d;
            }
            scores[d] += qw * tail.weights[p];
          }
        }
      }
    }
    let hits = 0;
    for (let i = 0; i < n; i++) {
      const d = touched[i];
      if (this.alive[d] === 1 && scores[d] > 0) {
        hitSlots[hits] = d;
        hitScores[hits++] = scores[d];
      }
      scores[d] = 0;
    }
    return hits;
  }

  /**
   * `accumulate` of `a` (every term, with a filter or none) and, for the same hits, the dot
   * products of `b`, in one pass over the postings of their terms: a term both vectors hold (a
   * structure's need holds terms of its text) is read once. Each sum takes its terms in the same
   * order as `accumulate` would, so both are the same float32 values. Results in `hitSlots`,
   * `hitScores` (a) and `hitScores2` (b). With a `floor`, the late terms are chosen among `a`'s as
   * `accumulate` chooses them (a term of `b` alone is never late), and a document is returned only if
   * a term that is not late found it.
   */
  accumulateTwo(a: SparseVector, b: SparseVector, filter?: SlotFilter, floor = 0): number {
    const { scores, scores2, touched, hitSlots, hitScores, hitScores2, docs, weights, offsets } = this;
    const stamps = filter?.stamps, stamp = filter?.stamp ?? 0;
    const late = this.lateTerms(a, floor);
    let n = 0;
    for (let pass = 0; pass < (late === undefined ? 1 : 2); pass++) {
      const completing = pass === 1;
      for (let i = 0, j = 0; i < a.ids.length || j < b.ids.length;) {
        const ta = i < a.ids.length ? a.ids[i] : Infinity, tb = j < b.ids.length ? b.ids[j] : Infinity;
        const term = Math.min(ta, tb);
        // A term of b alone is never late; one of a is late (read in pass 1) as accumulate would take it.
        const lateTerm = ta === term && late !== undefined && late[i] === 1;
        const qa = ta === term ? a.weights[i++] : 0, qb = tb === term ? b.weights[j++] : 0;
        if ((late === undefined ? 0 : lateTerm ? 1 : 0) !== pass) continue;
        if (term + 1 < offsets.length) {
          const walked = this.segmentsOf(term, filter), check = walked < 0 && stamps !== undefined, { segments } = this;
          for (let k = 0; k < Math.abs(walked); k++) {
            for (let p = segments[2 * k]; p < segments[2 * k + 1]; p++) {
              const d = docs[p];
              if (check && stamps[d] !== stamp) continue;
              if (scores[d] === 0 && scores2[d] === 0) {
                if (completing) continue;
                touched[n++] = d;
              }
              if (qa !== 0) scores[d] += qa * weights[p];
              if (qb !== 0) scores2[d] += qb * weights[p];
            }
          }
        }
        const tail = this.tails.get(term);
        if (tail) {
          for (let p = 0; p < tail.docs.length; p++) {
            const d = tail.docs[p];
            if (stamps !== undefined && stamps[d] !== stamp) continue;
            if (scores[d] === 0 && scores2[d] === 0) {
              if (completing) continue;
              touched[n++] = d;
            }
            if (qa !== 0) scores[d] += qa * tail.weights[p];
            if (qb !== 0) scores2[d] += qb * tail.weights[p];
          }
        }
      }
    }
    let hits = 0;
    for (let i = 0; i < n; i++) {
      const d = touched[i];
      if (this.alive[d] === 1 && scores[d] > 0) {
        hitSlots[hits] = d;
        hitScores2[hits] = scores2[d];
        hitScores[hits++] = scores[d];
      }
      scores[d] = 0;
      scores2[d] = 0;
    }
    return hits;
  }

  /**
   * The late terms of a search with a floor (see `accumulate`), by position in the query: the
   * longest lists first, each taken while the largest contributions of those taken stay below the
   * floor (with a millionth of slack for rounding). Sets `lateBound`; undefined when none is late.
   */
  private lateTerms(query: SparseVector, floor: number): Uint8Array | undefined {
    this.lateBound = 0;
    if (!(floor > 0)) return undefined;
    const n = query.ids.length;
    if (this.late.length < n) { this.late = new Uint8Array(2 * n); this.order = new Int32Array(2 * n); }
    const { late, order } = this;
    late.fill(0, 0, n);
    for (let q = 0; q < n; q++) order[q] = q;
    const length = (q: number) => this.postings(query.ids[q]);
    order.subarray(0, n).sort((x, y) => length(y) - length(x) || x - y);
    let sum = 0, any = false;
    for (let k = 0; k < n; k++) {
      const q = order[k], most = query.weights[q] * this.maxWeight(query.ids[q]);
      // A term no document holds adds nothing either way: left in the first pass, not a second pass for it alone.
      if (most > 0 && (sum + most) * (1 + 1e-6) < floor) { sum += most; late[q] = 1; any = true; }
    }
    if (!any) return undefined;
    this.lateBound = sum * (1 + 1e-6);
    return late;
  }

  /**
   * The stretches of a term's frozen postings (positions [from, to) in `segments`) that a search
   * with this filter reads: those inside the filter's runs, in order, when its list is long beside
   * them (returns how many: every posting read is admitted); else the whole list (returns -1: each
   * posting is checked against the filter's stamps, if any). Either way the same postings are
   * scored, in the same order.
   */
  private segmentsOf(term: number, filter: SlotFilter | undefined): number {
    const start = this.offsets[term], end = this.offsets[term + 1];
    const runs = filter?.runs, runCount = filter?.runCount ?? 0;
    if (runs === undefined || end - start <= RUN_WALK_FACTOR * runCount) {
      this.segments[0] = start;
      this.segments[1] = end;
      return -1;
    }
    if (this.segments.length < 2 * runCount) this.segments = new Int32Array(4 * runCount);
    const { docs, segments } = this;
    let n = 0;
    for (let k = 0, p = start; k < runCount && p < end; k++) {
      const from = firstAtLeast(docs, p, end, runs[2 * k]);
      p = firstAtLeast(docs, from, end, runs[2 * k + 1]);
      if (p > from) { segments[2 * n] = from; segments[2 * n + 1] = p; n++; }
    }
    return n;
  }

  /** Calls `visit` with each slot (live or not) whose vector holds the term. */
  forEachDoc(term: number, visit: (slot: number) => void): void {
    if (term + 1 < this.offsets.length) for (let p = this.offsets[term]; p < this.offsets[term + 1]; p++) visit(this.docs[p]);
    for (const d of this.tails.get(term)?.docs ?? []) visit(d);
  }

  /** Rebuilds the frozen part from the live documents (slots keep their numbers). */
  compact(termCount: number): void { this.freeze(termCount); }

  private freeze(termCount: number): void {
    const counts = new Int32Array(termCount + 1);
    for (let s = 0; s < this.vectors.length; s++) {
      if (this.alive[s] !== 1) continue;
      for (const id of this.vectors[s].ids) counts[id + 1]++;
    }
    for (let t = 0; t < termCount; t++) counts[t + 1] += counts[t];
    const docs = new Int32Array(counts[termCount]);
    const weights = new Float32Array(counts[termCount]);
    const cursor = counts.slice(0, termCount);
    this.maxWeights = new Float32Array(termCount);
    for (let s = 0; s < this.vectors.length; s++) {
      if (this.alive[s] !== 1) continue;
      const v = this.vectors[s];
      for (let i = 0; i < v.ids.length; i++) {
        const at = cursor[v.ids[i]]++;
        docs[at] = s;
        weights[at] = v.weights[i];
        this.noteWeight(v.ids[i], v.weights[i]);
      }
    }
    this.offsets = counts;
    this.docs = docs;
    this.weights = weights;
    this.tails.clear();
  }

  private ensureCapacity(n: number): void {
    if (n <= this.alive.length) return;
    let size = this.alive.length;
    while (size < n) size *= 2;
    const grow = <T extends Uint8Array | Float32Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a as never);
      return b;
    };
    this.alive = grow(this.alive, (k) => new Uint8Array(k));
    this.scores = new Float32Array(size);
    this.touched = new Int32Array(size);
    this.hitSlots = new Int32Array(size);
    this.hitScores = new Float32Array(size);
    this.scores2 = new Float32Array(size);
    this.hitScores2 = new Float32Array(size);
  }
}
