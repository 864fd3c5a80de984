/**
 * Candidates that cannot miss: the exact top-k of a query over every pair that passes the hard
 * constraints, as full scoring (score.ts) ranks them, without scoring every pair. What the nightly
 * run uses; the online path keeps candidates.ts, which is faster and nearly as good.
 *
 * A threshold search in the manner of MaxScore (Turtle & Flood, 1995), with score bounds (bounds.ts):
 *   1. seed: the best few records by text in the query's area (candidates.ts's cheap search),
 *      scored; θ, the k-th best score so far, can only rise;
 *   2. each group of the other side (resources by pillar and scope, structures by how their needs
 *      stand to the resource's pillar) bounds what its pairs score without the texts; a record can
 *      only reach θ if its text cosine reaches the threshold the group's gap to θ sets;
 *   3. the query's terms, longest postings first, whose largest weights (per term, in the whole
 *      collection) sum to less than the lowest threshold are not searched: a record holding only
 *      them cannot reach θ. The other terms are, in the area; each record found whose partial
 *      cosine (plus what the skipped terms may add) reaches its group's threshold gets its text part
 *      computed exactly (two dot products), is dropped when its group bound plus that text part
 *      stays below θ, and is otherwise bounded by its pair bound plus the exact text part;
 *   4. a group whose bound reaches θ even without text is walked whole (records of the area found
 *      by no searched term), each record bounded the same way.
 * Records are weighed (concepts, then the whole score) best bound first. With the text part exact
 * in the bound, that order is close to the score's: a search stopped by a budget keeps the right
 * records (recall of the exhaustive top-10 at budget 300, national scale, 250 sampled queries:
 * 0.72 → 0.95 for structures' queries, 0.94 → 0.995 for resources'; each record walked costs two
 * dot products more).
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
import { TopK } from '../retrieval/top-k.ts';
import { resourcesServing, structuresServedBy } from './areas.ts';
import {
  acrossMask, needRatio, pairBound, resourceGroup, resourceGroupBounds, sharpBound, standing, structureGroupBounds, textBound, textThreshold,
} from './bounds.ts';
import { structuresNaming, type Candidates } from './candidates.ts';
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
}

/** The exact top-k (slots and text cosines, best first is not promised) and how many pairs were scored. */
export interface ExactCandidates extends Candidates { scored: number }

/** Per-slot traits of the structures that the bounds read, kept beside an index (slots are never reused). */
class StructureTraits {
  across = new Int32Array(0);
  ratio = new Float64Array(0);
  minRatio = Infinity;
  private filled = 0;

  update(structures: Collection<StructureProfile>): void {
    const n = structures.profiles.length;
    if (n <= this.filled) return;
    const across = new Int32Array(n), ratio = new Float64Array(n);
    across.set(this.across);
    ratio.set(this.ratio);
    for (let slot = this.filled; slot < n; slot++) {
      const s = structures.profiles[slot];
      across[slot] = acrossMask(s);
      ratio[slot] = needRatio(s.vector, s.needVector);
      this.minRatio = Math.min(this.minRatio, ratio[slot]);
    }
    this.across = across;
    this.ratio = ratio;
    this.filled = n;
  }
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

interface Side { traits: StructureTraits; resourceMarks: Marks; structureMarks: Marks }
const sides = new WeakMap<Index, Side>();
function sideOf(index: Index): Side {
  let side = sides.get(index);
  if (!side) sides.set(index, (side = { traits: new StructureTraits(), resourceMarks: new Marks(), structureMarks: new Marks() }));
  side.traits.update(index.structures);
  return side;
}

/**
 * The longest postings the search must read: terms held by more records are skipped. Skipped
 * terms, longest first, while the most their weights can add to a cosine stays under `threshold`.
 * Returns the postings limit and that most (`slack`).
 */
function skippedTerms(query: SparseVector, from: Collection<StructureProfile> | Collection<ResourceProfile>, threshold: number): { limit: number; slack: number } {
  if (!(threshold > 0)) return { limit: Infinity, slack: 0 };
  const terms = Array.from(query.ids, (id, i) => ({ postings: from.postings(id), most: Math.abs(query.weights[i]) * from.maxWeight(id) }))
    .sort((a, b) => b.postings - a.postings);
  let slack = 0, i = 0;
  while (i < terms.length) {
    // Terms of equal postings length go together: the limit cannot separate them.
    let j = i, add = 0;
    while (j < terms.length && terms[j].postings === terms[i].postings) add += terms[j++].most;
    if (slack + add + SLACK >= threshold) break;
    slack += add;
    i = j;
  }
  return i === 0 ? { limit: Infinity, slack: 0 } : { limit: i < terms.length ? terms[i].postings : 0, slack: slack + SLACK };
}

/** Positions a sort key can carry (2^24: with a 2^26 quantum, keys stay exact integers under 2^53). */
const INDEX_SPAN = 2 ** 24;

/** Records with their bounds (`rests`: the bound without the text part), to be scored best bound first. */
class BoundQueue {
  slots = new Int32Array(256);
  rests = new Float64Array(256);
  bounds = new Float64Array(256);
  size = 0;

  /** Keeps the record if its bound reaches θ. */
  add(slot: number, rest: number, bound: number, theta: number): void {
    if (bound + SLACK < theta) return;
    if (this.size === this.slots.length) {
      const n = Math.max(256, 2 * this.size);
      const slots = new Int32Array(n), rests = new Float64Array(n), bounds = new Float64Array(n);
      slots.set(this.slots);
      rests.set(this.rests);
      bounds.set(this.bounds);
      this.slots = slots;
      this.rests = rests;
      this.bounds = bounds;
    }
    this.slots[this.size] = slot;
    this.rests[this.size] = rest;
    this.bounds[this.size++] = bound;
  }

  /** Finest step of the order `sort` gives: a record after another has a bound at most this much higher. */
  step = 0;

  /**
   * Best bound first. A numeric sort of keys packing the bound (quantized to `step`) and the
   * position (no comparison callback: this sorts hundreds of records per query).
   */
  sort(): void {
    const n = this.size;
    if (n > INDEX_SPAN) throw new Error(`exact.ts: ${n} records to sort, more than ${INDEX_SPAN}`);
    let top = -Infinity, bottom = Infinity;
    for (let i = 0; i < n; i++) { top = Math.max(top, this.bounds[i]); bottom = Math.min(bottom, this.bounds[i]); }
    const quantum = 2 ** 26 / Math.max(1, top - bottom);
    this.step = 1 / quantum;
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = Math.floor((top - this.bounds[i]) * quantum) * INDEX_SPAN + i;
    keys.sort();
    const slots = new Int32Array(Math.max(256, n)), rests = new Float64Array(slots.length), bounds = new Float64Array(slots.length);
    for (let i = 0; i < n; i++) {
      const j = keys[i] % INDEX_SPAN;
      slots[i] = this.slots[j];
      rests[i] = this.rests[j];
      bounds[i] = this.bounds[j];
    }
    this.slots = slots;
    this.rests = rests;
    this.bounds = bounds;
  }
}

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
  groupOf: (slot: number) => number;
  /** The least need ratio of any structure of the pairs (for the group thresholds). */
  minRatio: number;
}

function run(search: Search, request: ExactRequest): ExactCandidates {
  const { other, structureAt, resourceAt } = search;
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
  const bound = (slot: number) => pairBound(structureAt(slot), search.acrossAt(slot), resourceAt(slot), pair, model);
  /** Best bound first, until the bounds fall below θ: the exact text part and concepts, then the whole score. */
  const drain = (queue: BoundQueue) => {
    queue.sort();
    for (let i = 0; i < queue.size && queue.bounds[i] + queue.step + SLACK >= theta() && weighed < budget; i++, weighed++) {
      const slot = queue.slots[i];
      const s = structureAt(slot), r = resourceAt(slot);
      const rest = sharpBound(queue.rests[i], s, search.acrossAt(slot), r, pair, model);
      if (rest + (queue.bounds[i] - queue.rests[i]) + SLACK >= theta()) score(slot);
    }
    queue.size = 0;
  };

  // 1. Seed θ with the best records of the cheap search.
  const seeds = new TopK(SEED_CANDIDATES);
  const found = other.search(search.vector, seedLimit(search.vector, other), search.keys, search.alsoSlots);
  for (let i = 0; i < found; i++) if (seeds.accepts(other.hitScores[i])) seeds.push(other.hitSlots[i], other.hitScores[i]);
  for (let i = 0; i < seeds.size; i++) score(seeds.slots[i]);

  // 2. The text cosine each group needs to reach θ (0: the group may reach it without text).
  const needs = new Float64Array(search.groups.length);
  let threshold = Infinity;
  for (let g = 0; g < needs.length; g++) {
    const gap = theta() - search.groups[g];
    needs[g] = gap <= SLACK ? 0 : textThreshold(model, gap - SLACK, search.minRatio);
    if (needs[g] > 0) threshold = Math.min(threshold, needs[g]);
  }
  // 3. The terms that can make a difference, in the area: each record found, bounded.
  const { limit, slack } = skippedTerms(search.vector, other, threshold);
  const queue = new BoundQueue();
  if (threshold !== Infinity || needs.includes(0)) {
    const hits = other.search(search.vector, limit, search.keys, search.alsoSlots);
    const { hitSlots, hitScores } = other;
    for (let i = 0; i < hits; i++) {
      const slot = hitSlots[i];
      if (marks[slot] === stamp) continue;
      marks[slot] = stamp;
      const cos = hitScores[i] * (1 + SLACK) + slack;
      const group = search.groupOf(slot);
      if (cos < needs[group]) continue;
      const text = exactText(model, textCosine(slot), needCosine(slot));
      if (search.groups[group] + text + SLACK < theta()) continue;
      const rest = bound(slot);
      queue.add(slot, rest, rest + text, theta());
    }
  }
  drain(queue);
  // 4. Groups that may still reach θ without text, walked whole: the records of the area no searched term found.
  const skipped = textBound(model, slack, search.minRatio);
  const walk = Array.from(search.groups, (most) => most + skipped + SLACK >= theta());
  if (walk.some(Boolean)) {
    const visit = (slot: number) => {
      if (marks[slot] === stamp || !other.isAlive(slot)) return;
      marks[slot] = stamp;
      const group = search.groupOf(slot);
      if (!walk[group]) return;
      const text = exactText(model, textCosine(slot), needCosine(slot));
      if (search.groups[group] + text + SLACK < theta()) return;
      const rest = bound(slot);
      queue.add(slot, rest, rest + text, theta());
    };
    if (search.keys === undefined) for (let slot = 0; slot < other.profiles.length; slot++) visit(slot);
    else {
      for (const key of search.keys) for (const slot of other.filedUnder(key)) visit(slot);
      for (const slot of search.alsoSlots) visit(slot);
    }
    drain(queue);
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
  const resources = index.resources;
  return run({
    other: resources, vector: s.vector, needQuery: s.needVector, needOf: (slot) => resources.profiles[slot].vector,
    keys: resourcesServing(s, { local: index.localReachKm, logistics: index.logisticsReachKm }), alsoSlots: [],
    marks: side.resourceMarks,
    structureAt: () => s, resourceAt: (slot) => resources.profiles[slot],
    acrossAt: () => across, ratioAt: () => ratio,
    groups: resourceGroupBounds(s, across, request.model),
    groupOf: (slot) => resourceGroup(resources.profiles[slot]),
    minRatio: ratio,
  }, request);
}

/** The exact top-k structures of a resource (admitted pairs only). */
export function exactStructureCandidates(index: Index, r: ResourceProfile, request: ExactRequest): ExactCandidates {
  const side = sideOf(index);
  const { across, ratio } = side.traits;
  const pair: PairContext = { distanceKm: 0, textCosine: 0, needCosine: 0, asOfDay: request.asOfDay };
  const structures = index.structures;
  const keys = structuresServedBy(r);
  const namers = keys && r.scope === 'local' && r.entity.radius_km === undefined ? structuresNaming(index, r) : [];
  return run({
    other: structures, vector: r.vector, needQuery: r.vector, needOf: (slot) => structures.profiles[slot].needVector, keys, alsoSlots: namers,
    marks: side.structureMarks,
    structureAt: (slot) => structures.profiles[slot], resourceAt: () => r,
    acrossAt: (slot) => across[slot], ratioAt: (slot) => ratio[slot],
    groups: structureGroupBounds(r, pair, request.model),
    groupOf: (slot) => {
      const s = structures.profiles[slot];
      return standing(s.needsMask, s.textPillarsMask, across[slot], r.pillarMask);
    },
    minRatio: side.traits.minRatio,
  }, request);
}
