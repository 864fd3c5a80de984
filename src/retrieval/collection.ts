/**
 * One side of the matching (structures or resources): profiles by slot, an id → slot map, the
 * inverted index of their text vectors, and area lists for geographic blocking: each record is
 * filed under the keys `areaKeys` gives it (see engine/areas.ts), and a query turns the keys of
 * its area into a slot filter for the index. A replaced record gets a new slot; the old one is
 * marked dead (area lists keep dead slots; the index skips them).
 */
import { InvertedIndex, type SlotFilter } from './inverted-index.ts';
import type { SparseVector } from './documents.ts';

export interface Indexed { entity: { id: string }; vector: SparseVector }

/** Beyond this many runs a filter is left as stamps only (its postings are then checked one by one). */
export const MAX_FILTER_RUNS = 4096;

/** Ascending slots (duplicates allowed) as [start, end) runs of consecutive slots. */
function toRuns(sorted: Int32Array, n: number): Int32Array {
  const runs: number[] = [];
  for (let i = 0; i < n; i++) {
    if (runs.length > 0 && sorted[i] <= runs[runs.length - 1]) runs[runs.length - 1] = Math.max(runs[runs.length - 1], sorted[i] + 1);
    else runs.push(sorted[i], sorted[i] + 1);
  }
  return Int32Array.from(runs);
}

/** A filter joins at most MAX_FILTER_RUNS pieces: their positions fit below this in `sortedBy`'s packed numbers. */
const POSITIONS = MAX_FILTER_RUNS + 1;

/**
 * Positions 0…n-1 ordered by `keys` (non-negative slots, ascending; equal keys by position): each
 * key and its position packed in one exact float64 (slot × POSITIONS + position, below 2⁴⁴), sorted by
 * the typed array's own numeric sort, without a comparator called from it per comparison.
 */
function sortedBy(keys: Int32Array, n: number): Int32Array {
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = keys[i] * POSITIONS + i;
  packed.sort();
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = packed[i] % POSITIONS;
  return order;
}

export class Collection<P extends Indexed> {
  readonly profiles: P[] = [];
  private readonly slotById = new Map<string, number>();
  private readonly byArea = new Map<string, number[]>();
  private stamps = new Uint32Array(1024);
  private stamp = 0;
  /** Each area key's slots as runs (`runsOf`), recomputed when its list has grown or shrunk. */
  private readonly runsByKey = new Map<string, { length: number; runs: Int32Array }>();
  /** Scratch of `joinRuns`, and the joined runs of the last filter (valid, as the filter, until the next one). */
  private runStarts = new Int32Array(0);
  private runEnds = new Int32Array(0);
  private joined = new Int32Array(0);
  index = new InvertedIndex();

  constructor(private readonly areaKeys: (profile: P) => readonly string[]) {}

  get size(): number { return this.slotById.size; }

  slotOf(id: string): number | undefined { return this.slotById.get(id); }

  get(id: string): P | undefined {
    const slot = this.slotById.get(id);
    return slot === undefined ? undefined : this.profiles[slot];
  }

  /** Bulk load: profiles take slots in order, then the index is built in one pass. */
  build(profiles: P[], termCount: number): void {
    for (const p of profiles) this.place(p, this.profiles.length);
    this.index = InvertedIndex.build(this.profiles.map((p) => p.vector), termCount);
  }

  /** Adds or replaces a record; returns the profile it replaced, if any. */
  upsert(profile: P): P | undefined {
    const previous = this.remove(profile.entity.id);
    const slot = this.index.add(profile.vector);
    this.place(profile, slot);
    return previous;
  }

  remove(id: string): P | undefined {
    const slot = this.slotById.get(id);
    if (slot === undefined) return undefined;
    this.index.remove(slot);
    this.slotById.delete(id);
    return this.profiles[slot];
  }

  isAlive(slot: number): boolean { return this.index.isAlive(slot); }

  /** Slots filed under an area key, dead ones included (check `isAlive`). */
  filedUnder(key: string): readonly number[] { return this.byArea.get(key) ?? []; }

  /**
   * The slots filed under any of these keys (and `alsoSlots`), as a filter for the index: valid until the next call
   * (a stamp per slot, so nothing is cleared between queries).
   */
  filter(keys: readonly string[], alsoSlots: readonly number[] = []): SlotFilter {
    const filter = this.newFilter();
    // Indexed loops: an iterator over ~10,000 slots allocated a result object per slot (175 KB a query).
    let pieces = alsoSlots.length;
    for (const key of keys) {
      const list = this.byArea.get(key);
      if (list) for (let i = 0; i < list.length; i++) filter.stamps[list[i]] = filter.stamp;
      if (list) pieces += this.runsOf(key, list).length / 2;
    }
    for (let i = 0; i < alsoSlots.length; i++) filter.stamps[alsoSlots[i]] = filter.stamp;
    if (pieces <= MAX_FILTER_RUNS) this.joinRuns(filter, keys, alsoSlots, pieces);
    return filter;
  }

  /** A key's slots as runs of consecutive slots (records are placed in the order of their places: a key's slots mostly follow each other). */
  private runsOf(key: string, list: readonly number[]): Int32Array {
    const cached = this.runsByKey.get(key);
    if (cached && cached.length === list.length) return cached.runs;
    const runs = toRuns(Int32Array.from(list).sort(), list.length);
    this.runsByKey.set(key, { length: list.length, runs });
    return runs;
  }

  /** The filter's slots as ascending disjoint runs (SlotFilter), from its keys' runs and `alsoSlots`. */
  private joinRuns(filter: SlotFilter, keys: readonly string[], alsoSlots: readonly number[], pieces: number): void {
    if (this.runStarts.length < pieces) { this.runStarts = new Int32Array(2 * pieces); this.runEnds = new Int32Array(2 * pieces); }
    if (keys.length === 1 && alsoSlots.length === 0) {
      const runs = this.runsOf(keys[0], this.byArea.get(keys[0]) ?? []);
      filter.runs = runs;
      filter.runCount = runs.length / 2;
      return;
    }
    const starts = this.runStarts, ends = this.runEnds;
    let n = 0;
    for (const key of keys) {
      const list = this.byArea.get(key);
      if (!list) continue;
      const runs = this.runsOf(key, list);
      for (let i = 0; i < runs.length; i += 2) { starts[n] = runs[i]; ends[n++] = runs[i + 1]; }
    }
    for (let i = 0; i < alsoSlots.length; i++) { starts[n] = alsoSlots[i]; ends[n++] = alsoSlots[i] + 1; }
    const order = sortedBy(starts, n);
    if (this.joined.length < 2 * n) this.joined = new Int32Array(4 * n);
    const out = this.joined;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const start = starts[order[i]], end = ends[order[i]];
      if (count > 0 && start <= out[2 * count - 1]) out[2 * count - 1] = Math.max(out[2 * count - 1], end); // overlapping or adjacent: one run
      else { out[2 * count] = start; out[2 * count + 1] = end; count++; }
    }
    filter.runs = out;
    filter.runCount = count;
  }

  /** A filter admitting exactly these slots (same lifetime as `filter`). */
  filterOf(slots: ArrayLike<number>): SlotFilter {
    const filter = this.newFilter();
    for (let i = 0; i < slots.length; i++) filter.stamps[slots[i]] = filter.stamp;
    return filter;
  }

  private newFilter(): SlotFilter {
    if (this.stamps.length < this.profiles.length) {
      const grown = new Uint32Array(Math.max(this.profiles.length, 2 * this.stamps.length));
      grown.set(this.stamps);
      this.stamps = grown;
    }
    if (this.stamp === 0xffffffff) { this.stamps.fill(0); this.stamp = 0; }
    return { stamps: this.stamps, stamp: ++this.stamp };
  }

  /**
   * The records the text search finds: each live slot among those filed under `areaKeys` (all when
   * undefined) and `alsoSlots` whose vector shares a term with the query, leaving out the terms
   * whose postings are longer than `maxPostings`. Returns how many; their slots and dot products
   * are in `hitSlots` / `hitScores`, valid until the next search.
   */
  search(query: SparseVector, maxPostings: number, areaKeys?: readonly string[], alsoSlots: readonly number[] = []): number {
    const filter = areaKeys === undefined ? undefined : this.filter(areaKeys, alsoSlots);
    return this.index.accumulate(query, maxPostings, filter);
  }

  /** The largest weight of the term in a record of this side (an upper bound of every record's). */
  maxWeight(term: number): number { return this.index.maxWeight(term); }

  /** How many records (live or not yet compacted) hold the term. */
  postings(term: number): number { return this.index.postings(term); }

  /** Appends to `out` the slots (live or not) whose vector holds the term. */
  slotsWithTerm(term: number, out: number[]): void { this.index.forEachDoc(term, (slot) => { out.push(slot); }); }

  get hitSlots(): Int32Array { return this.index.hitSlots; }
  get hitScores(): Float32Array { return this.index.hitScores; }

  /**
   * Visits the live slots of these lists in order, each once, leaving out those in `already`;
   * `full` is asked before each list (a caller filling a top-k stops there).
   */
  visitLists(lists: readonly (readonly number[])[], already: ArrayLike<number>, full: () => boolean, visit: (slot: number) => void): void {
    const seen = this.filterOf(already);
    for (const list of lists) {
      if (full()) break;
      for (let i = 0; i < list.length; i++) {
        const slot = list[i];
        if (seen.stamps[slot] === seen.stamp || !this.isAlive(slot)) continue;
        seen.stamps[slot] = seen.stamp; // lists may share a slot
        visit(slot);
      }
    }
  }

  /** Folds removals and replacements into fresh postings, and drops dead slots from the area lists. */
  compact(termCount: number): void {
    this.index.compact(termCount);
    this.runsByKey.clear(); // a list may keep its length through a compaction (as many slots dropped as added since)
    for (const [key, list] of this.byArea) {
      const alive = list.filter((slot) => this.isAlive(slot));
      if (alive.length === 0) this.byArea.delete(key); else this.byArea.set(key, alive);
    }
  }

  live(): P[] { return [...this.slotById.values()].map((s) => this.profiles[s]); }

  /** The live profiles in slot order (what a snapshot keeps: restored, they take the same order). */
  liveInSlotOrder(): P[] { return this.profiles.filter((_, slot) => this.isAlive(slot)); }

  private place(profile: P, slot: number): void {
    this.profiles[slot] = profile;
    this.slotById.set(profile.entity.id, slot);
    for (const key of this.areaKeys(profile)) {
      const list = this.byArea.get(key);
      if (list) list.push(slot); else this.byArea.set(key, [slot]);
    }
  }
}
