/**
 * Candidates that cannot miss: the exact top-k of a query over every pair that passes the hard
 * constraints, as full scoring (score.ts) ranks them, without scoring every pair. What the nightly
 * run uses; the online path keeps candidates.ts, which is faster and nearly as good.
 *
 * A threshold search in the manner of MaxScore (Turtle & Flood, 1995), with score bounds (bounds.ts):
 *   1. seed: the records given as seeds (a previous run's top-k of the query: its θ is then
 *      close to the final one from the start), or when they do not fill the top-k the best few
 *      records by text in the query's area (candidates.ts's cheap search), scored; θ, the k-th
 *      best score so far, can only rise. The result does not depend on the seeds, only the work;
 *   2. each group of the other side (resources by pillar and scope, structures by how their needs
 *      stand to the resource's pillar) bounds what its pairs score without the texts; a record can
 *      only reach θ if its text cosine reaches the threshold the group's gap to θ sets;
 *   3. every record of the area that shares a term with the query (all its terms searched) whose
 *      cosine, as the inverted index accumulates it, reaches its group's threshold enters a heap,
 *      bounded by its group and the text part its two cosines allow, both accumulated in float32
 *      (the need cosine by a second accumulation: over the resources' index with a structure's
 *      need vector, or over an index of the structures' need vectors with a resource's text, whose
 *      common words are read, as the text's, only for the records the others found);
 *   4. a group whose bound reaches θ even without text is walked whole (the records of the area
 *      that share no term with the query), each record entering the heap the same way.
 * Records leave the heap best bound first: the first time, they go back bounded by their pair
 * bound plus that text part; the second, they are weighed (concepts, then the whole score, whose
 * two dot products are the only ones a record costs). The bounds so stay close to the score, and
 * only the records whose group and text may reach θ cost more than a few comparisons (at
 * national scale, 200,000 × 50,000: a structure's query weighed 7,800 records' texts exactly when
 * the search skipped its long postings and bounded every record by what they may add).
 * A pair is left out only when its bound is below θ: it cannot enter the top-k (ties, broken by
 * id, are scored).
 */
import type { PairContext } from '../features/index.ts';
import { FEATURE_NAMES } from '../features/index.ts';
import { clamp01 } from '../features/feature.ts';
import type { ResourceProfile, StructureProfile } from '../profiles/profiles.ts';
import type { RankingModel } from '../ranking/model.ts';
import type { Collection } from '../retrieval/collection.ts';
import { DenseQuery, type SparseVector } from '../retrieval/documents.ts';
import { InvertedIndex, type SlotFilter } from '../retrieval/inverted-index.ts';
import { TopK } from '../retrieval/top-k.ts';
import { resourcesServing, structuresServedBy } from './areas.ts';
import {
  FLOAT32_SLACK,
  acrossMask, needRatio, pairBound, resourceGroup, resourceGroupBounds, resourceOffset, sharpBound, standing, structureGroupBounds, textBound,
  textPartBound, textPartBoundUpTo, textThreshold,
} from './bounds.ts';
import { inAreaFast, localReachOf, outsideBox, reachedAtSiteOnly, structuresNaming, type Candidates } from './candidates.ts';
import type { Index } from './index.ts';
import { excludes, pairContext, scorePair } from './score.ts';

const TEXT = FEATURE_NAMES.indexOf('text'), NEED_TEXT = FEATURE_NAMES.indexOf('need_text');

/** Records of the cheap text search scored first, to set θ. */
export const SEED_CANDIDATES = 40;
/** Slack on every comparison of a bound with θ: bounds and scores are sums of rounded numbers. */
const SLACK = 1e-6;

export interface ExactRequest {
  limit: number;
  asOfDay: number;
  model: RankingModel;
  /**
   * At most this many records weighed exactly (text and concepts) after the seeds, best bound
   * first: the search is then near-exact (it may stop before the bounds prove the top-k), and
   * bounded in time. Unset: exact.
   */
  budget?: number;
  /**
   * Slots of the other side scored first, to set θ (the query's top-k in the previous run: most
   * stay, so θ starts near its final value and far fewer records pass the bounds). Any slots, dead
   * ones skipped, in the area or not (a seed out of it is excluded when scored): the top-k found is
   * the same with or without them, only the work differs — unless the search stops on its
   * `budget`, when what it found by then depends on θ.
   */
  seeds?: readonly number[];
}

/** The exact top-k (slots and text cosines, best first is not promised) and how many pairs were scored. */
export interface ExactCandidates extends Candidates { scored: number }

/**
 * Per-slot traits of the structures that the bounds read, in typed arrays kept beside an index
 * (slots are never reused): the search reads them for thousands of records per query without
 * touching the profiles.
 */
class StructureTraits {
  across = new Int32Array(0);
  needs = new Int32Array(0);
  textPillars = new Int32Array(0);
  ratio = new Float64Array(0);
  /** Hard constraints read from the record alone (constraints.ts): its legal form's bit, and whether it requires step-free access. */
  legalForm = new Int32Array(0);
  stepFreeRequired = new Uint8Array(0);
  /** Its site, and 1 when a local offer can only reach it through its own area (candidates.ts reachedAtSiteOnly). */
  lat = new Float64Array(0);
  lon = new Float64Array(0);
  siteOnly = new Uint8Array(0);
  minRatio = Infinity;
  /** The structures' need vectors by slot: accumulated against a resource's text, their need cosines. */
  needIndex = new InvertedIndex();
  private filled = 0;

  update(structures: Collection<StructureProfile>, termCount: number): void {
    const n = structures.profiles.length;
    if (n <= this.filled) return;
    if (this.filled === 0) this.needIndex = InvertedIndex.build(structures.profiles.map((s) => s.needVector), termCount);
    else for (let slot = this.filled; slot < n; slot++) this.needIndex.add(structures.profiles[slot].needVector);
    this.across = grown(this.across, n);
    this.needs = grown(this.needs, n);
    this.textPillars = grown(this.textPillars, n);
    this.ratio = grown(this.ratio, n);
    this.legalForm = grown(this.legalForm, n);
    this.stepFreeRequired = grown(this.stepFreeRequired, n);
    this.lat = grown(this.lat, n);
    this.lon = grown(this.lon, n);
    this.siteOnly = grown(this.siteOnly, n);
    for (let slot = this.filled; slot < n; slot++) {
      const s = structures.profiles[slot];
      this.lat[slot] = s.lat;
      this.lon[slot] = s.lon;
      this.siteOnly[slot] = reachedAtSiteOnly(s) ? 1 : 0;
      this.legalForm[slot] = s.legalFormMask;
      this.stepFreeRequired[slot] = s.stepFree === 'required' ? 1 : 0;
      this.across[slot] = acrossMask(s);
      this.needs[slot] = s.needsMask;
      this.textPillars[slot] = s.textPillarsMask;
      this.ratio[slot] = needRatio(s.vector, s.needVector);
      this.minRatio = Math.min(this.minRatio, this.ratio[slot]);
    }
    this.filled = n;
  }
}

/**
 * The group of every resource's slot (bounds.ts resourceGroup), likewise, and the hard constraints
 * read from the record alone: the legal forms it is reserved to (0: any), its last day (Infinity:
 * none), and whether its premises lack step-free access.
 */
class ResourceTraits {
  group = new Int32Array(0);
  eligible = new Int32Array(0);
  untilDay = new Float64Array(0);
  inaccessible = new Uint8Array(0);
  /** Its site, and for a local offer its farthest reach (candidates.ts localReachOf), -1 for a wider one. */
  lat = new Float64Array(0);
  lon = new Float64Array(0);
  localReach = new Float64Array(0);
  private filled = 0;
  /** resourceOffset by slot, for one model and day (the run's: every query of a run shares them). */
  private offsetsFor?: { model: RankingModel; asOfDay: number; values: Float64Array };

  offsets(resources: Collection<ResourceProfile>, model: RankingModel, asOfDay: number): Float64Array {
    const n = resources.profiles.length, cached = this.offsetsFor;
    if (cached && cached.model === model && cached.asOfDay === asOfDay && cached.values.length === n) return cached.values;
    const pair: PairContext = { distanceKm: 0, textCosine: 0, needCosine: 0, asOfDay };
    const values = new Float64Array(n);
    for (let slot = 0; slot < n; slot++) values[slot] = resourceOffset(resources.profiles[slot], pair, model);
    this.offsetsFor = { model, asOfDay, values };
    return values;
  }

  update(resources: Collection<ResourceProfile>): void {
    const n = resources.profiles.length;
    if (n <= this.filled) return;
    this.group = grown(this.group, n);
    this.eligible = grown(this.eligible, n);
    this.untilDay = grown(this.untilDay, n);
    this.inaccessible = grown(this.inaccessible, n);
    this.lat = grown(this.lat, n);
    this.lon = grown(this.lon, n);
    this.localReach = grown(this.localReach, n);
    for (let slot = this.filled; slot < n; slot++) {
      const r = resources.profiles[slot];
      this.lat[slot] = r.lat;
      this.lon[slot] = r.lon;
      this.localReach[slot] = localReachOf(r);
      this.group[slot] = resourceGroup(r);
      this.eligible[slot] = r.eligibleMask;
      this.untilDay[slot] = r.untilDay ?? Infinity;
      this.inaccessible[slot] = inaccessible(r) ? 1 : 0;
    }
    this.filled = n;
  }
}

/** Premises without step-free access: excluded for a structure that requires it (constraints.ts lacksRequiredAccess). */
const inaccessible = (r: ResourceProfile): boolean => r.entity.pillar === 'premises' && r.entity.accessible_pmr === false;

function grown<T extends Int32Array | Float64Array | Uint8Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/** A mark per slot of the other side, reset by a new stamp per query. */
class Marks {
  stamps = new Uint32Array(0);
  stamp = 0;
  next(n: number): number {
    if (this.stamps.length < n) this.stamps = new Uint32Array(Math.max(n, 2 * this.stamps.length));
    if (this.stamp === 0xffffffff) { this.stamps.fill(0); this.stamp = 0; }
    return ++this.stamp;
  }
}

interface Side { traits: StructureTraits; resourceTraits: ResourceTraits; resourceMarks: Marks; structureMarks: Marks }
const sides = new WeakMap<Index, Side>();
function sideOf(index: Index): Side {
  let side = sides.get(index);
  if (!side) {
    side = { traits: new StructureTraits(), resourceTraits: new ResourceTraits(), resourceMarks: new Marks(), structureMarks: new Marks() };
    sides.set(index, side);
  }
  side.traits.update(index.structures, index.vocabulary.size);
  side.resourceTraits.update(index.resources);
  return side;
}

/**
 * The records still in the running, best bound first: a max-heap in typed arrays, reused by every
 * query. A record enters LOOSE, bounded by its group and the text part its cosine's upper bound
 * allows (no dot product yet); when it comes to the top, its text part is computed exactly and it
 * goes back TIGHT with its pair bound plus that text part (`rests` holds the pair bound); a TIGHT
 * record at the top is weighed (concepts, then the whole score). So records are weighed in the
 * order of their tight bounds, and only those whose loose bound reaches θ cost two dot products.
 */
class BoundHeap {
  slots = new Int32Array(1024);
  bounds = new Float64Array(1024);
  rests = new Float64Array(1024);
  tight = new Uint8Array(1024);
  size = 0;

  /** Appends a record without ordering (call `heapify` before reading the top). */
  add(slot: number, bound: number, rest: number, tight: number): void {
    if (this.size === this.slots.length) this.grow();
    const i = this.size++;
    this.slots[i] = slot;
    this.bounds[i] = bound;
    this.rests[i] = rest;
    this.tight[i] = tight;
  }

  heapify(): void {
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.down(i);
  }

  /** Adds a record to an ordered heap. */
  push(slot: number, bound: number, rest: number, tight: number): void {
    this.add(slot, bound, rest, tight);
    let i = this.size - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.bounds[parent] >= this.bounds[i]) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Removes the top. */
  pop(): void {
    const last = --this.size;
    if (last > 0) {
      this.slots[0] = this.slots[last];
      this.bounds[0] = this.bounds[last];
      this.rests[0] = this.rests[last];
      this.tight[0] = this.tight[last];
      this.down(0);
    }
  }

  private down(i: number): void {
    const n = this.size, { bounds } = this;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let best = i;
      if (l < n && bounds[l] > bounds[best]) best = l;
      if (r < n && bounds[r] > bounds[best]) best = r;
      if (best === i) return;
      this.swap(i, best);
      i = best;
    }
  }

  private swap(i: number, j: number): void {
    const { slots, bounds, rests, tight } = this;
    const slot = slots[i], bound = bounds[i], rest = rests[i], t = tight[i];
    slots[i] = slots[j]; bounds[i] = bounds[j]; rests[i] = rests[j]; tight[i] = tight[j];
    slots[j] = slot; bounds[j] = bound; rests[j] = rest; tight[j] = t;
  }

  private grow(): void {
    const n = 2 * this.slots.length;
    const slots = new Int32Array(n), bounds = new Float64Array(n), rests = new Float64Array(n), tight = new Uint8Array(n);
    slots.set(this.slots); bounds.set(this.bounds); rests.set(this.rests); tight.set(this.tight);
    this.slots = slots; this.bounds = bounds; this.rests = rests; this.tight = tight;
  }
}

const HEAP = new BoundHeap();

/** A query's need cosine per slot of the other side (0 where its accumulation found none), cleared after use. */
class SlotValues {
  values = new Float64Array(0);
  private touched = new Int32Array(0);
  private n = 0;

  ready(slots: number): this {
    if (this.values.length < slots) this.values = new Float64Array(Math.max(slots, 2 * this.values.length));
    return this;
  }

  fill(slots: Int32Array, values: Float32Array, n: number): void {
    if (this.touched.length < n) this.touched = new Int32Array(Math.max(n, 2 * this.touched.length));
    for (let i = 0; i < n; i++) {
      this.values[slots[i]] = values[i];
      this.touched[i] = slots[i];
    }
    this.n = n;
  }

  clear(): void {
    for (let i = 0; i < this.n; i++) this.values[this.touched[i]] = 0;
    this.n = 0;
  }
}
const NEED_COSINES = new SlotValues();

/**
 * The text part's bound of each record of a resource's query, from its text cosine `cos` (float32)
 * and its need cosine (the offer's text against the structure's need vector, as `needIndex`, the
 * structures' need vectors, accumulates them in float32), read with the `floor` of its text's
 * search: the common words' lists are read only for the structures the others found (reading them
 * whole cost a resource's query 3 % more). So a structure found has its need cosine complete; any
 * other's lies between 0 and the late terms' bound (lateBound). Valid until `clear`.
 */
export function needTextBounds(
  model: RankingModel, needIndex: InvertedIndex, query: SparseVector, slots: number, filter: SlotFilter | undefined, floor: number,
): { of: (slot: number, cos: number) => number; clear: () => void } {
  const found = NEED_COSINES.ready(slots);
  found.fill(needIndex.hitSlots, needIndex.hitScores, needIndex.accumulate(query, Infinity, filter, floor));
  const late = needIndex.lateBound;
  return {
    of: (slot, cos) => {
      const need = found.values[slot];
      return need > 0 ? textPartBound(model, cos, need, FLOAT32_SLACK) : textPartBoundUpTo(model, cos, late, FLOAT32_SLACK);
    },
    clear: () => found.clear(),
  };
}
const LOOSE = 0, TIGHT = 1;

/** The query's side of the two cosines (its text; its need, or for a resource its text again), spread once per query. */
const TEXT_QUERY = new DenseQuery(), NEED_QUERY = new DenseQuery();

/** The text part of the pair's score, exactly (the two cosines). */
function exactText(model: RankingModel, textCosine: number, needCosine: number): number {
  const w = model.weights;
  return w[TEXT] * Math.sqrt(clamp01(textCosine)) + w[NEED_TEXT] * Math.sqrt(clamp01(needCosine));
}

interface Search {
  other: Collection<StructureProfile> | Collection<ResourceProfile>;
  vector: SparseVector;
  /** The query's side of the need cosine (a structure's need vector, a resource's text vector), and the other side's of a record. */
  needQuery: SparseVector;
  needOf: (slot: number) => SparseVector;
  /** The inverted index that, accumulating `needQuery`, gives every record's need cosine (float32). */
  needIndex: InvertedIndex;
  keys: string[] | undefined;
  alsoSlots: readonly number[];
  marks: Marks;
  /** The structure and the resource of the query's pair with the record at `slot`. */
  structureAt: (slot: number) => StructureProfile;
  resourceAt: (slot: number) => ResourceProfile;
  /** The pillars a need of the pair's structure may be answered across, and its need ratio (bounds.ts). */
  acrossAt: (slot: number) => number;
  ratioAt: (slot: number) => number;
  /** Group bounds (text part left out), and the group of a record. */
  groups: Float64Array;
  /** Added to its group's bound for a record of the other side, by slot (≤ 0; none: 0). */
  offsets?: Float64Array;
  groupOf: (slot: number) => number;
  /** The least need ratio of any structure of the pairs (for the group thresholds). */
  minRatio: number;
  /**
   * False when a hard constraint read from the two records alone (legal form, the offer's end,
   * step-free access), or a local offer's box around a structure it reaches at its site alone
   * (reachedAtSiteOnly), excludes the pair: it never enters the search. The rest of the area is left to the
   * pair's check (inAreaFast, before its bound) and to the score's.
   */
  admitted: (slot: number) => boolean;
}

function run(search: Search, request: ExactRequest): ExactCandidates {
  const { other, structureAt, resourceAt, groups, offsets, groupOf, ratioAt, admitted } = search;
  const { model } = request;
  const idOf = (slot: number) => other.profiles[slot].entity.id;
  const top = new TopK(request.limit, (x, y) => idOf(x) < idOf(y));
  const pair: PairContext = { distanceKm: 0, textCosine: 0, needCosine: 0, asOfDay: request.asOfDay };
  const features = new Float64Array(FEATURE_NAMES.length);
  const text = TEXT_QUERY.load(search.vector), need = NEED_QUERY.load(search.needQuery);
  const textCosine = (slot: number) => text.dot(other.profiles[slot].vector);
  const needCosine = (slot: number) => need.dot(search.needOf(slot));
  const stamp = search.marks.next(other.profiles.length);
  const marks = search.marks.stamps;
  let scored = 0, weighed = 0;
  const budget = request.budget ?? Infinity;
  const theta = () => (top.size === top.capacity ? top.scores[0] : -Infinity);
  const score = (slot: number) => {
    marks[slot] = stamp;
    scored++;
    const s = structureAt(slot), r = resourceAt(slot);
    pairContext(s, r, request.asOfDay, textCosine(slot), pair, needCosine(slot));
    if (excludes(s, r, pair)) return;
    const value = scorePair(s, r, pair, model, features);
    if (top.accepts(value)) top.push(slot, value);
  };
  const heap = HEAP;
  heap.size = 0;
  /**
   * Enters a record if its group and `part`, an upper bound of its text part, may reach θ; a NaN
   * part means none is known (its texts are compared exactly when it reaches the top).
   */
  const consider = (slot: number, group: number, part: number) => {
    if (!admitted(slot)) return;
    const bound = groups[group] + (offsets === undefined ? 0 : offsets[slot]) + (Number.isNaN(part) ? textBound(model, 1, 0) : part);
    if (bound + SLACK >= theta()) heap.add(slot, bound, part, LOOSE);
  };
  /**
   * Best bound first, until the bounds fall below θ: a record's pair bound (its text part bound kept),
   * then concepts, then the whole score.
   */
  const drain = () => {
    heap.heapify();
    while (heap.size > 0 && heap.bounds[0] + SLACK >= theta() && weighed < budget) {
      const slot = heap.slots[0], bound = heap.bounds[0], rest = heap.rests[0], tight = heap.tight[0];
      heap.pop();
      const s = structureAt(slot), r = resourceAt(slot), across = search.acrossAt(slot);
      if (tight === LOOSE) {
        // The pair bound before the area: half the records it leaves out would otherwise cost the
        // area's check (distances, named places) for nothing (at national scale, a structure's
        // query pops about 365 records LOOSE; 180 fail this bound, 145 lie out of their area).
        const most = pairBound(s, across, r, pair, model);
        if (!Number.isNaN(rest) && most + rest + SLACK < theta()) continue;
        if (!inAreaFast(s, r)) continue; // out of its area: excluded
        const part = Number.isNaN(rest) ? exactText(model, textCosine(slot), needCosine(slot)) : rest;
        if (most + part + SLACK >= theta()) heap.push(slot, most + part, most, TIGHT);
        continue;
      }
      weighed++;
      if (sharpBound(rest, s, across, r, pair, model) + (bound - rest) + SLACK >= theta()) score(slot);
    }
    heap.size = 0;
  };

  // 1. Seed θ with the seeds given (alive, not yet scored, passing the hard constraints read
  //    from the records: `score` checks the rest), then, unless they filled the top-k, with the
  //    best records of the cheap search.
  for (const slot of request.seeds ?? []) if (other.isAlive(slot) && marks[slot] !== stamp && admitted(slot)) score(slot);
  // The area's filter, built once for the cheap search and step 3 (valid until the collection's next filter).
  const filter = search.keys === undefined ? undefined : other.filter(search.keys, search.alsoSlots);
  if (top.size < top.capacity) {
    const seeds = new TopK(SEED_CANDIDATES);
    const found = other.index.accumulate(search.vector, seedLimit(search.vector, other), filter);
    for (let i = 0; i < found; i++) if (seeds.accepts(other.hitScores[i])) seeds.push(other.hitSlots[i], other.hitScores[i]);
    for (let i = 0; i < seeds.size; i++) if (marks[seeds.slots[i]] !== stamp) score(seeds.slots[i]);
  }

  // 2. The text cosine each group needs to reach θ (0: the group may reach it without text).
  const needs = new Float64Array(groups.length);
  let threshold = Infinity;
  for (let g = 0; g < needs.length; g++) {
    const gap = theta() - groups[g];
    needs[g] = gap <= SLACK ? 0 : textThreshold(model, gap - SLACK, search.minRatio);
    if (needs[g] > 0) threshold = Math.min(threshold, needs[g]);
  }
  // 3. Every record of the area that shares a term with the query, bounded by its group and its
  //    two cosines as the inverted indexes accumulate them (all the query's terms: a cosine bound
  //    made loose by skipping the long postings let thousands of records through to the dot products).
  // A record of the area that shares only late terms with the query (retrieval/inverted-index.ts),
  // and so is left out of step 3's hits, has a text cosine of at most this.
  let lateBound = 0;
  if (threshold !== Infinity || needs.includes(0)) {
    const { hitSlots, hitScores } = other;
    // The least cosine any group needs: most hits share a common word only, and fall below it.
    // Records whose cosine stays below it need not be found at all: the lists of the common words
    // are read only for those the others found (a floor), and no record of theirs is left unmarked
    // that could reach θ (below, the walk bounds the unmarked ones by lateBound).
    const least = needs.includes(0) ? 0 : threshold;
    const floor = least / (1 + FLOAT32_SLACK);
    /** `partOf`: the bound of a hit's text part (its two cosines). */
    const visit = (hits: number, partOf: (i: number, slot: number) => number) => {
      for (let i = 0; i < hits; i++) {
        const slot = hitSlots[i];
        if (marks[slot] === stamp) continue;
        marks[slot] = stamp; // found by its text: the walk of step 4 (text cosine 0) must pass it over
        if (hitScores[i] * (1 + FLOAT32_SLACK) < least) continue;
        const group = groupOf(slot);
        if (hitScores[i] * (1 + FLOAT32_SLACK) >= needs[group]) consider(slot, group, partOf(i, slot));
      }
    };
    if (search.needIndex === other.index) {
      // A structure's query: its need's terms are mostly its text's, both accumulated in one pass over the resources' postings.
      const hitNeeds = other.index.hitScores2;
      visit(other.index.accumulateTwo(search.vector, search.needQuery, filter, floor), (i) => textPartBound(model, hitScores[i], hitNeeds[i], FLOAT32_SLACK));
      lateBound = other.index.lateBound;
    } else {
      const parts = needTextBounds(model, search.needIndex, search.needQuery, other.profiles.length, filter, floor);
      visit(other.index.accumulate(search.vector, Infinity, filter, floor), (i, slot) => parts.of(slot, hitScores[i]));
      lateBound = other.index.lateBound;
      parts.clear();
    }
  }
  drain();
  // 4. Groups that may still reach θ without text, walked whole: the records of the area that step 3
  //    did not find (text cosine 0, or at most lateBound when they share late terms only; need
  //    cosine 0 too when the need's terms are the text's). With a floor, no group walks: lateBound
  //    stays below the cosine every group needs, and θ only rises.
  const walk = Array.from(groups, (most) => most + textBound(model, lateBound, search.minRatio) + SLACK >= theta());
  if (walk.some(Boolean)) {
    const visit = (slot: number) => {
      if (marks[slot] === stamp || !other.isAlive(slot)) return;
      marks[slot] = stamp;
      const group = groupOf(slot);
      const ratio = ratioAt(slot);
      if (walk[group]) consider(slot, group, ratio > 0 ? textBound(model, lateBound, ratio) : Number.NaN);
    };
    if (search.keys === undefined) for (let slot = 0; slot < other.profiles.length; slot++) visit(slot);
    else {
      for (const key of search.keys) for (const slot of other.filedUnder(key)) visit(slot);
      for (const slot of search.alsoSlots) visit(slot);
    }
    drain();
  }
  const slots = top.slots.slice(0, top.size);
  const cosines = new Float64Array(slots.length);
  for (let i = 0; i < slots.length; i++) cosines[i] = textCosine(slots[i]);
  return { slots, cosines, scored };
}

/** The seed search reads the rarer terms only (as candidates.ts does): it only has to find good records, not all. */
function seedLimit(vector: SparseVector, from: Collection<StructureProfile> | Collection<ResourceProfile>): number {
  const lengths = Array.from(vector.ids, (id) => from.postings(id)).filter((n) => n > 0).sort((a, b) => a - b);
  return Math.max(1000, 0.01 * from.size, lengths[Math.min(4, lengths.length) - 1] ?? 0);
}

/** The exact top-k resources of a structure (admitted pairs only). */
export function exactResourceCandidates(index: Index, s: StructureProfile, request: ExactRequest): ExactCandidates {
  const side = sideOf(index);
  const across = acrossMask(s), ratio = needRatio(s.vector, s.needVector);
  const resources = index.resources, { group: groupBySlot, eligible, untilDay, inaccessible: lacking, lat, lon, localReach } = side.resourceTraits;
  const form = s.legalFormMask, requires = s.stepFree === 'required', asOfDay = request.asOfDay;
  // A local offer whose box leaves the structure out is out of its area (inAreaFast), left out before any bound.
  const boxed = reachedAtSiteOnly(s), sLat = s.lat, sLon = s.lon;
  return run({
    other: resources, vector: s.vector, needQuery: s.needVector, needOf: (slot) => resources.profiles[slot].vector, needIndex: resources.index,
    keys: resourcesServing(s, { local: index.localReachKm, logistics: index.logisticsReachKm }, false), alsoSlots: [],
    marks: side.resourceMarks,
    structureAt: () => s, resourceAt: (slot) => resources.profiles[slot],
    acrossAt: () => across, ratioAt: () => ratio,
    groups: resourceGroupBounds(s, across, request.model),
    offsets: side.resourceTraits.offsets(resources, request.model, asOfDay),
    groupOf: (slot) => groupBySlot[slot],
    minRatio: ratio,
    admitted: (slot) => (eligible[slot] === 0 || (eligible[slot] & form) !== 0) && untilDay[slot] >= asOfDay && !(requires && lacking[slot] === 1)
      && !(boxed && localReach[slot] >= 0 && outsideBox(sLat, sLon, lat[slot], lon[slot], localReach[slot])),
  }, request);
}

/** The exact top-k structures of a resource (admitted pairs only). */
export function exactStructureCandidates(index: Index, r: ResourceProfile, request: ExactRequest): ExactCandidates {
  const side = sideOf(index);
  const { across, ratio, needs, textPillars, legalForm, stepFreeRequired, lat, lon, siteOnly: boxed } = side.traits;
  // An offer ended before the run's day is excluded with every structure.
  if (r.untilDay !== undefined && r.untilDay < request.asOfDay) return { slots: new Int32Array(0), cosines: new Float64Array(0), scored: 0 };
  const reserved = r.eligibleMask, lacks = inaccessible(r);
  // A structure reached only through the offer's own area and outside its box is out of it (inAreaFast), left out before any bound.
  const reach = localReachOf(r), rLat = r.lat, rLon = r.lon;
  const pair: PairContext = { distanceKm: 0, textCosine: 0, needCosine: 0, asOfDay: request.asOfDay };
  const structures = index.structures;
  const keys = structuresServedBy(r);
  const namers = keys && r.scope === 'local' && r.entity.radius_km === undefined ? structuresNaming(index, r) : [];
  return run({
    other: structures, vector: r.vector, needQuery: r.vector, needOf: (slot) => structures.profiles[slot].needVector, needIndex: side.traits.needIndex,
    keys, alsoSlots: namers,
    marks: side.structureMarks,
    structureAt: (slot) => structures.profiles[slot], resourceAt: () => r,
    acrossAt: (slot) => across[slot], ratioAt: (slot) => ratio[slot],
    groups: structureGroupBounds(r, pair, request.model),
    groupOf: (slot) => standing(needs[slot], textPillars[slot], across[slot], r.pillarMask),
    minRatio: side.traits.minRatio,
    admitted: (slot) => (reserved === 0 || (reserved & legalForm[slot]) !== 0) && !(lacks && stepFreeRequired[slot] === 1)
      && !(reach >= 0 && boxed[slot] === 1 && outsideBox(lat[slot], lon[slot], rLat, rLon, reach)),
  }, request);
}
