/**
 * The index the matching stages read: the structures and resources as profiles, in two
 * collections over one vocabulary (tf-idf terms, thesaurus concepts, spelling variants) and one
 * pool of the words as written. Built in two passes (document frequencies, then vectors with the
 * final idf), then kept up to date record by record (upsert, remove); `compact()` folds the
 * changes into fresh postings (the nightly run calls it).
 */
import type { EntityKind, Resource, Structure } from '../domain/types.ts';
import {
  analyseResource, analyseStructure, finishResource, finishStructure, type Analyser, type PendingResource, type PendingStructure,
} from '../profiles/analysis.ts';
import type { ResourceProfile, StructureProfile } from '../profiles/profiles.ts';
import { Collection } from '../retrieval/collection.ts';
import { vectorOf, type SparseVector } from '../retrieval/documents.ts';
import { ArraySlab } from '../retrieval/slab.ts';
import { SurfacePool } from '../retrieval/surfaces.ts';
import { Vocabulary } from '../retrieval/vocabulary.ts';
import type { Thesaurus } from '../text/thesaurus.ts';
import { defaultGazetteer } from '../geo/places.ts';
import { isWide, resourceKeys, structureKeys } from './areas.ts';

/**
 * A change made to a live index, as it was asked: what a replica of the index in another thread
 * (feedback/serving.pool.ts) applies to stay the same (records are plain data, cloned across threads).
 */
export type IndexChange =
  | { op: 'upsert'; kind: 'structure'; record: Structure }
  | { op: 'upsert'; kind: 'resource'; record: Resource }
  | { op: 'remove'; kind: EntityKind; id: string }
  | { op: 'compact' };

/** Where a build is: records analysed (first pass), or records given their vectors (second pass). */
export interface BuildStep { phase: 'analysing' | 'finishing'; records: number }

export interface IndexStats { structures: number; resources: number; terms: number; builtInMs: number }

/** What a snapshot restores an index from (see snapshot.ts): the shared tables and the profiles in slot order. */
export interface IndexParts {
  vocabulary: Vocabulary;
  pool: SurfacePool;
  structures: StructureProfile[];
  resources: ResourceProfile[];
}

/**
 * A structure between the passes with its arrays in the build's slabs (retrieval/slab.ts): those
 * its profile keeps (term ids, surface ids) in `kept`, its raw weights in `raw` (the profile keeps
 * a copy of them, made in the finishing pass), freed with the build. Without `raw`, only the kept
 * arrays are copied (into the slab of the finishing pass, filled in the order of the places).
 */
function slabbedStructure(kept: ArraySlab, raw: ArraySlab | undefined, p: PendingStructure): PendingStructure {
  p.bag = { ids: kept.int32(p.bag.ids), weights: raw ? raw.float32(p.bag.weights) : p.bag.weights };
  p.needBag = { ids: kept.int32(p.needBag.ids), weights: raw ? raw.float32(p.needBag.weights) : p.needBag.weights };
  p.surfaces = kept.int32(p.surfaces);
  return p;
}

function slabbedResource(kept: ArraySlab, raw: ArraySlab | undefined, p: PendingResource): PendingResource {
  p.bag = { ids: kept.int32(p.bag.ids), weights: raw ? raw.float32(p.bag.weights) : p.bag.weights };
  p.surfaces = kept.int32(p.surfaces);
  return p;
}

/**
 * The positions of pending records in the order of their places: resources by scope first
 * (national, regional by région, departmental, local; structures have none), then département,
 * postal code and id, so that an area's offers lie in few runs of slots (see SlotFilter). The
 * collections' slots, the postings and the slabs holding the vectors follow it, so that the
 * records a query scores (its area's) lie close together in memory instead of across the whole
 * heap. At 200,000 × 50,000, in process, the two layouts side by side in one process: explained
 * top-20 of a record's first query, p50 / p95, structure → resources 1.83 / 3.02 → 1.75 / 2.85 ms,
 * resource → structures 2.98 / 4.95 → 2.56 / 4.08 ms; the nightly run's exact search, CPU per
 * query, structure 3.26 → 2.50 ms, resource 8.81 → 6.82 ms (same rows).
 */
function placeOrder(pending: readonly ({ entity: Structure | Resource } | undefined)[]): Int32Array {
  const order = new Int32Array(pending.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const at = (i: number) => pending[i]!.entity;
  return order.sort((x, y) => {
    const a = at(x), b = at(y);
    return scopeRank(a) - scopeRank(b) || (scopeRank(a) === REGIONAL ? compare(a.place.region, b.place.region) : 0)
      || compare(a.place.department, b.place.department) || compare(a.place.postalCode, b.place.postalCode) || compare(a.id, b.id);
  });
}

/**
 * Resources are placed by scope first (national, then regional by région, departmental, local), then
 * by place: the offers a structure's area holds (all the national ones, its région's, its
 * département's, those near it) then lie in a few runs of slots, which a search reads without
 * checking every posting of a common word (SlotFilter.runs). Structures have no scope (rank 0).
 */
const REGIONAL = 1;
const SCOPE_RANK: Record<string, number> = { national: 0, regional: REGIONAL, departmental: 2, local: 3 };
const scopeRank = (e: Structure | Resource): number => ('pillar' in e ? SCOPE_RANK[e.scope ?? 'local'] ?? 3 : 0);

const compare = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

export class Index {
  readonly vocabulary: Vocabulary;
  readonly pool: SurfacePool;
  readonly analyser: Analyser;
  readonly structures = new Collection<StructureProfile>(structureKeys);
  readonly resources = new Collection<ResourceProfile>(resourceKeys);
  /** The farthest a local offer reaches: how far around a structure to look for local offers. */
  localReachKm = 0;
  /** The farthest a local logistics offer reaches: how far around a delivery area to look for them. */
  logisticsReachKm = 0;
  builtInMs = 0;
  /** Told of every change once it is made (observe). */
  private observers: ((change: IndexChange) => void)[] = [];

  private constructor(readonly thesaurus: Thesaurus, vocabulary = new Vocabulary(), pool = new SurfacePool()) {
    this.vocabulary = vocabulary;
    this.pool = pool;
    this.analyser = { vocabulary, thesaurus, surfaces: pool, places: defaultGazetteer() };
  }

  /** Indexes every record in two passes: document frequencies first, then vectors with the final idf. */
  static build(thesaurus: Thesaurus, data: { structures: Iterable<Structure>; resources: Iterable<Resource> }): Index {
    const steps = Index.building(thesaurus, data);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * `build` in steps: yields after every `every` records analysed or finished, so that a caller
   * can keep a process responsive (a service answering /readyz) and tell the progress. Same
   * order, same index as `build`.
   */
  static *building(
    thesaurus: Thesaurus, data: { structures: Iterable<Structure>; resources: Iterable<Resource> }, every = 2000,
  ): Generator<BuildStep, Index> {
    const started = performance.now();
    const index = new Index(thesaurus);
    const a = index.analyser;
    let done = 0;
    const pendingS: (PendingStructure | undefined)[] = [];
    const pendingR: (PendingResource | undefined)[] = [];
    const slab = new ArraySlab(), raw = new ArraySlab();
    for (const s of data.structures) {
      pendingS.push(slabbedStructure(slab, raw, analyseStructure(a, s)));
      if (++done % every === 0) yield { phase: 'analysing', records: done };
    }
    for (const r of data.resources) {
      pendingR.push(slabbedResource(slab, raw, analyseResource(a, r)));
      if (++done % every === 0) yield { phase: 'analysing', records: done };
    }
    for (const p of pendingS) index.vocabulary.addDocument(p!.bag.ids);
    for (const p of pendingR) index.vocabulary.addDocument(p!.bag.ids);
    const structures: StructureProfile[] = [];
    const resources: ResourceProfile[] = [];
    done = 0;
    // Analysed in the order given (the vocabulary's spelling variants depend on it), finished in
    // the order of the places (placeOrder): each record's arrays are copied into a slab filled in
    // that order, and the analysis' slabs are let go with the pending records.
    const placed = new ArraySlab();
    for (const i of placeOrder(pendingS)) {
      const profile = finishStructure(a, slabbedStructure(placed, undefined, pendingS[i]!));
      profile.vector.weights = placed.float32(profile.vector.weights);
      profile.needVector.weights = placed.float32(profile.needVector.weights);
      profile.bagWeights = placed.float32(profile.bagWeights);
      profile.needBagWeights = placed.float32(profile.needBagWeights);
      structures.push(profile);
      pendingS[i] = undefined;
      if (++done % every === 0) yield { phase: 'finishing', records: done };
    }
    for (const i of placeOrder(pendingR)) {
      const profile = finishResource(a, slabbedResource(placed, undefined, pendingR[i]!));
      profile.vector.weights = placed.float32(profile.vector.weights);
      profile.bagWeights = placed.float32(profile.bagWeights);
      resources.push(profile);
      pendingR[i] = undefined;
      if (++done % every === 0) yield { phase: 'finishing', records: done };
    }
    index.structures.build(structures, index.vocabulary.size);
    index.resources.build(resources, index.vocabulary.size);
    index.resources.profiles.forEach((r) => index.noteReach(r));
    index.builtInMs = performance.now() - started;
    return index;
  }

  /** An index from the parts a snapshot kept, without analysing any text: the same as the one that was saved. */
  static restore(thesaurus: Thesaurus, parts: IndexParts): Index {
    const started = performance.now();
    const index = new Index(thesaurus, parts.vocabulary, parts.pool);
    index.structures.build(parts.structures, index.vocabulary.size);
    index.resources.build(parts.resources, index.vocabulary.size);
    index.resources.profiles.forEach((r) => index.noteReach(r));
    index.builtInMs = performance.now() - started;
    return index;
  }

  /**
   * The same live records, each vector weighed again from its raw weights with the vocabulary's
   * idf as it is now, in the order of their places: what a build of these records gives, without
   * analysing any text. An index loaded from a snapshot and caught up record by record weighs only
   * the records it applied with the idf of the moment; the others keep the idf of the snapshot's
   * day (scores off by about 0.01 after a day's changes). The nightly run ranks with this instead
   * of building (matching.sync.ts). It shares this index's vocabulary and pool: this index is not
   * to be used after. What is left different from a build comes from the vocabulary's history:
   * a term keeps the id it was first given (dot products add in another order: scores may differ
   * in their last bits); a spelling variant (vocabulary.ts) keeps the stem it was first read as,
   * even once the records that wrote that stem first have changed, where a build takes the first
   * one written among the records of now; and a stem no record writes any more still takes its
   * variants in. A few records' vectors then differ slightly (the nightly run's top-10s measured
   * equal to exhaustive scoring's; README, Nightly run); a build, when a snapshot is too far behind
   * or of another version, starts the history again.
   */
  withCurrentIdf(): Index {
    const started = performance.now();
    const v = this.vocabulary, slab = new ArraySlab();
    const weighed = (ids: Int32Array, raw: Float32Array): SparseVector => {
      const vector = vectorOf({ ids, weights: raw }, v);
      return { ids, weights: slab.float32(vector.weights) };
    };
    const structures = this.structures.liveInSlotOrder(), resources = this.resources.liveInSlotOrder();
    const index = Index.restore(this.thesaurus, {
      vocabulary: v, pool: this.pool,
      structures: Array.from(placeOrder(structures), (i) => {
        const p = structures[i];
        return { ...p, vector: weighed(p.vector.ids, p.bagWeights), needVector: weighed(p.needVector.ids, p.needBagWeights) };
      }),
      resources: Array.from(placeOrder(resources), (i) => ({ ...resources[i], vector: weighed(resources[i].vector.ids, resources[i].bagWeights) })),
    });
    index.builtInMs = performance.now() - started;
    return index;
  }

  /**
   * An analyser for a record outside the collections (a preview), with the current idf, through
   * scratch views of the vocabulary and the surface pool: its new words are forgotten after the answer.
   */
  scratch(): Analyser {
    return { vocabulary: this.vocabulary.scratch(), thesaurus: this.thesaurus, surfaces: this.pool.scratch(), places: this.analyser.places };
  }

  /** Makes a new or changed structure matchable at once. */
  upsertStructure(s: Structure): void {
    const pending = analyseStructure(this.analyser, s);
    const previous = this.structures.get(s.id);
    if (previous) this.vocabulary.removeDocument(previous.vector.ids);
    this.vocabulary.addDocument(pending.bag.ids);
    this.structures.upsert(finishStructure(this.analyser, pending));
    this.tell({ op: 'upsert', kind: 'structure', record: s });
  }

  upsertResource(r: Resource): void {
    const pending = analyseResource(this.analyser, r);
    const previous = this.resources.get(r.id);
    if (previous) this.vocabulary.removeDocument(previous.vector.ids);
    this.vocabulary.addDocument(pending.bag.ids);
    const profile = finishResource(this.analyser, pending);
    this.noteReach(profile);
    this.resources.upsert(profile);
    this.tell({ op: 'upsert', kind: 'resource', record: r });
  }

  /** Removes a record (archived or deleted) from matching. */
  remove(kind: EntityKind, id: string): void {
    const removed = kind === 'structure' ? this.structures.remove(id) : this.resources.remove(id);
    if (removed) this.vocabulary.removeDocument(removed.vector.ids);
    this.tell({ op: 'remove', kind, id });
  }

  /** Folds upserts and removals into fresh postings and slots: queries stop paying for dead slots. */
  compact(): void {
    this.structures.compact(this.vocabulary.size);
    this.resources.compact(this.vocabulary.size);
    this.tell({ op: 'compact' });
  }

  /** Applies a change told by another index (`observe`): the same call as the one made there. */
  apply(change: IndexChange): void {
    if (change.op === 'compact') this.compact();
    else if (change.op === 'remove') this.remove(change.kind, change.id);
    else if (change.kind === 'structure') this.upsertStructure(change.record);
    else this.upsertResource(change.record);
  }

  /**
   * Calls `observer` after every later change (upsert, remove, compact), in the order they are
   * made; returns what stops it.
   */
  observe(observer: (change: IndexChange) => void): () => void {
    this.observers.push(observer);
    return () => { this.observers = this.observers.filter((o) => o !== observer); };
  }

  private tell(change: IndexChange): void {
    for (const observer of this.observers) observer(change);
  }

  getStructure(id: string): Structure | undefined { return this.structures.get(id)?.entity; }
  getResource(id: string): Resource | undefined { return this.resources.get(id)?.entity; }

  stats(): IndexStats {
    return { structures: this.structures.size, resources: this.resources.size, terms: this.vocabulary.size, builtInMs: this.builtInMs };
  }

  private noteReach(r: ResourceProfile): void {
    if (r.scope !== 'local' || isWide(r)) return;
    this.localReachKm = Math.max(this.localReachKm, r.maxReachKm);
    if (r.entity.pillar === 'logistics') this.logisticsReachKm = Math.max(this.logisticsReachKm, r.maxReachKm);
  }
}
