/**
 * The matching engine: two collections over one vocabulary, candidate generation (inverted index
 * filtered by area, completed by a nearby block), exact scoring of the candidates with the
 * features and the model, top-k, and explanations for what is returned. Pure in-memory; loading
 * from the store is in load.ts.
 */
import { notFound, invalid } from '../domain/errors.ts';
import type { EntityKind, Resource, Structure } from '../domain/types.ts';
import { computeFeatures, FEATURE_NAMES, type PairContext } from '../features/index.ts';
import { isExcluded } from '../features/constraints.ts';
import { inArea } from '../features/geography.ts';
import { dayNumber, type ResourceProfile, type StructureProfile } from '../features/profiles.ts';
import { haversineKm, KM_PER_DEGREE } from '../geo/distance.ts';
import { score, type RankingModel } from '../ranking/model.ts';
import { Collection } from '../retrieval/collection.ts';
import { cosine } from '../retrieval/documents.ts';
import { SurfacePool } from '../retrieval/surfaces.ts';
import { TopK } from '../retrieval/top-k.ts';
import { Vocabulary } from '../retrieval/vocabulary.ts';
import type { Thesaurus } from '../text/thesaurus.ts';
import {
  analyseResource, analyseStructure, finishResource, finishStructure, type Analyser,
} from './analysis.ts';
import { departmentKey, isWide, resourceKeys, resourcesServing, structureKeys, structuresServedBy } from './areas.ts';
import { explainPair } from './explain.ts';
import type { Engine, MatchList, MatchOptions, MatchResult } from './types.ts';

/** inArea, computing the distance only for local offers and only when a bounding box allows it. */
function inAreaFast(s: StructureProfile, r: ResourceProfile): boolean {
  if (r.scope !== 'local') return inArea(s, r, 0);
  // 1 km of slack: the box is not an exact lower bound of great-circle distances.
  const reach = r.maxReachKm + 1;
  if (Math.abs(s.lat - r.lat) * KM_PER_DEGREE > reach) return false;
  // East-west: degrees shrink with the cosine of the latitude; the higher latitude keeps it a lower bound.
  if (Math.abs(s.lon - r.lon) * KM_PER_DEGREE * Math.cos((Math.max(Math.abs(s.lat), Math.abs(r.lat)) * Math.PI) / 180) > reach) return false;
  return inArea(s, r, haversineKm(s.lat, s.lon, r.lat, r.lon));
}

/** Candidates taken from the text index before exact scoring. */
export const TEXT_CANDIDATES = 300;
/** Terms held by more than this share of a collection (and more than the floor) do not generate candidates… */
export const COMMON_TERM_SHARE = 0.01;
export const COMMON_TERM_FLOOR = 1000;
/** …except the query's rarest few. */
export const RAREST_TERMS_KEPT = 4;
/** A nearby block (the département, or a local offer's cells) of at most this many slots (dead ones counted) is always scanned. */
export const SMALL_BLOCK = 500;
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 200;

const sizeOf = (lists: readonly (readonly number[])[]) => lists.reduce((n, list) => n + list.length, 0);

/** Candidates of one query: slots of the other side and their exact text cosines. */
interface Candidates { slots: Int32Array; cosines: Float64Array }

export interface EngineDeps {
  thesaurus: Thesaurus;
  model: RankingModel;
  /** Today's date, YYYY-MM-DD (injected for tests). */
  today?: () => string;
}

export function createEngine(deps: EngineDeps, data: { structures: Iterable<Structure>; resources: Iterable<Resource> }): Engine {
  const started = performance.now();
  const vocabulary = new Vocabulary();
  const pool = new SurfacePool();
  const analyser: Analyser = { vocabulary, thesaurus: deps.thesaurus, surfaces: pool };
  const structures = new Collection<StructureProfile>(structureKeys);
  const resources = new Collection<ResourceProfile>(resourceKeys);
  const today = deps.today ?? (() => new Date().toISOString().slice(0, 10));

  // Two passes: document frequencies first, then vectors with the final idf.
  const pendingS = [...data.structures].map((s) => analyseStructure(analyser, s));
  const pendingR = [...data.resources].map((r) => analyseResource(analyser, r));
  for (const p of pendingS) vocabulary.addDocument(p.bag.ids);
  for (const p of pendingR) vocabulary.addDocument(p.bag.ids);
  structures.build(pendingS.map((p) => finishStructure(analyser, p)), vocabulary.size);
  resources.build(pendingR.map((p) => finishResource(analyser, p)), vocabulary.size);
  /** The farthest a local offer reaches: how far around a structure to look for local offers. */
  let localReachKm = 0;
  const noteReach = (r: ResourceProfile) => { if (r.scope === 'local' && !isWide(r)) localReachKm = Math.max(localReachKm, r.maxReachKm); };
  resources.profiles.forEach(noteReach);
  const builtInMs = performance.now() - started;

  const optionsOf = (o: MatchOptions = {}) => {
    const limit = o.limit ?? DEFAULT_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw invalid('matches.bad_limit', `limit doit être un entier entre 1 et ${MAX_LIMIT} (reçu ${limit}).`);
    }
    const asOf = o.asOf ?? today();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(dayNumber(asOf))) {
      throw invalid('matches.bad_as_of', `as_of doit être une date AAAA-MM-JJ (reçu « ${asOf} »).`);
    }
    return { ...o, limit, asOf, asOfDay: dayNumber(asOf) };
  };

  type Opts = ReturnType<typeof optionsOf>;

  /** The pair's context, written into `into` (the scoring loop reuses one object). */
  function pairContext(s: StructureProfile, r: ResourceProfile, asOfDay: number, textCosine: number, into?: PairContext): PairContext {
    const pair = into ?? { distanceKm: 0, textCosine: 0, needCosine: 0, asOfDay };
    pair.distanceKm = haversineKm(s.lat, s.lon, r.lat, r.lon);
    pair.textCosine = textCosine;
    pair.needCosine = cosine(s.needVector, r.vector);
    pair.asOfDay = asOfDay;
    return pair;
  }

  /**
   * Scores candidate pairs and returns the list, admitted best first then excluded ones. Only the
   * returned pairs keep their features (computed again: cheaper than keeping 300 vectors).
   */
  function rank(
    a: Analyser, query: { kind: EntityKind; id: string }, candidates: Candidates, opts: Opts,
    structureAt: (slot: number) => StructureProfile, resourceAt: (slot: number) => ResourceProfile,
    other: Collection<StructureProfile> | Collection<ResourceProfile>,
  ): MatchList {
    const idOf = (slot: number) => other.profiles[slot].entity.id;
    const before = (a: number, b: number) => idOf(a) < idOf(b);
    const admitted = new TopK(opts.limit, before);
    const excluded = new TopK(opts.includeExcluded ? opts.limit : 0, before);
    const features = new Float64Array(FEATURE_NAMES.length);
    const pair: PairContext = { distanceKm: 0, textCosine: 0, needCosine: 0, asOfDay: opts.asOfDay };
    const textOf = new Map<number, number>();
    for (let i = 0; i < candidates.slots.length; i++) {
      const slot = candidates.slots[i];
      if (!other.isAlive(slot) || (opts.allow && !opts.allow(idOf(slot)))) continue;
      const s = structureAt(slot), r = resourceAt(slot);
      if (opts.pillar && !(query.kind === 'structure' ? r.entity.pillar === opts.pillar : s.entity.needs.includes(opts.pillar))) continue;
      pairContext(s, r, opts.asOfDay, candidates.cosines[i], pair);
      const out = isExcluded(s, r, pair);
      if (out && !opts.includeExcluded) continue;
      const value = score(computeFeatures(s, r, pair, features), deps.model);
      const list = out ? excluded : admitted;
      if (!list.accepts(value)) continue;
      list.push(slot, value);
      textOf.set(slot, candidates.cosines[i]);
    }
    const ordered = [
      ...admitted.sorted().map((x) => ({ ...x, out: false })),
      ...excluded.sorted().map((x) => ({ ...x, out: true })),
    ].slice(0, opts.limit);
    const results: MatchResult[] = ordered.map(({ slot, score: value, out }, i) => {
      const s = structureAt(slot), r = resourceAt(slot);
      const pair = pairContext(s, r, opts.asOfDay, textOf.get(slot)!);
      computeFeatures(s, r, pair, features);
      const candidate = query.kind === 'structure' ? r : s;
      return {
        id: candidate.entity.id,
        kind: candidate.kind,
        rank: i + 1,
        score: Math.round(value * 1e4) / 1e4,
        label: candidate.kind === 'resource' ? r.entity.title : s.entity.name,
        features: Object.fromEntries(FEATURE_NAMES.map((n, k) => [n, Math.round(features[k] * 1e4) / 1e4])),
        excluded: out,
        ...(opts.explain ? { explanation: explainPair(a, query.kind, s, r, pair, features, deps.model) } : {}),
      };
    });
    return { query, asOf: opts.asOf, modelVersion: deps.model.version, results };
  }

  /**
   * Candidates: the best TEXT_CANDIDATES in the area by text, with their exact cosines. The index
   * scores only the records filed under `areaKeys` (all when undefined), and at national scale
   * leaves out the terms most records use (see `commonTermLimit`). The records of a nearby `block`
   * (see `nearby`) complete them when it is small or the text finds fewer than the page asked for
   * (a local offer nobody describes alike): list by list, nearest first, until TEXT_CANDIDATES are
   * found. `admissible` checks a record the keys give (undefined when they give only records in
   * the area).
   */
  function candidatesFor<P extends StructureProfile | ResourceProfile>(
    vector: StructureProfile['vector'], from: Collection<P>, block: readonly (readonly number[])[], areaKeys: string[] | undefined,
    admissible: ((p: P) => boolean) | undefined, limit: number, alsoSlots: readonly number[] = [],
  ): Candidates {
    const top = new TopK(TEXT_CANDIDATES);
    const filter = areaKeys === undefined ? undefined : from.filter(areaKeys, alsoSlots);
    const { index } = from;
    const hits = index.accumulate(vector, commonTermLimit(vector, from), filter);
    for (let i = 0; i < hits; i++) {
      const slot = index.hitSlots[i], value = index.hitScores[i];
      if (top.accepts(value) && (admissible === undefined || admissible(from.profiles[slot]))) top.push(slot, value);
    }
    const found = top.size;
    if (sizeOf(block) <= SMALL_BLOCK || found < limit) {
      const seen = from.filterOf(top.slots.subarray(0, found));
      for (const list of block) {
        if (top.size === TEXT_CANDIDATES) break;
        for (const slot of list) {
          if (seen.stamps[slot] === seen.stamp || !from.isAlive(slot)) continue;
          seen.stamps[slot] = seen.stamp; // lists may share a slot
          if (admissible && !admissible(from.profiles[slot])) continue;
          const value = cosine(vector, from.profiles[slot].vector);
          if (top.accepts(value)) top.push(slot, value);
        }
      }
    }
    const slots = top.slots.slice(0, top.size);
    const cosines = new Float64Array(slots.length); // not Float64Array.from(slots, fn): it allocates per element
    for (let i = 0; i < slots.length; i++) cosines[i] = cosine(vector, from.profiles[slots[i]].vector);
    return { slots, cosines };
  }

  /**
   * Postings length above which a query term does not generate candidates: a term held by more
   * than COMMON_TERM_SHARE of the collection (and more than COMMON_TERM_FLOOR records) costs the
   * most and ranks the least; but the RAREST_TERMS_KEPT rarest terms of the query that this side uses always search.
   */
  function commonTermLimit<P extends StructureProfile | ResourceProfile>(vector: StructureProfile['vector'], from: Collection<P>): number {
    const base = Math.max(COMMON_TERM_FLOOR, COMMON_TERM_SHARE * from.size);
    const lengths = Array.from(vector.ids, (id) => from.index.postings(id)).filter((n) => n > 0).sort((a, b) => a - b);
    return Math.max(base, lengths[Math.min(RAREST_TERMS_KEPT, lengths.length) - 1] ?? 0);
  }

  const rankForStructure = (s: StructureProfile, options?: MatchOptions, a = analyser): MatchList => {
    const opts = optionsOf(options);
    const all = opts.includeExcluded === true;
    const admissible = all ? undefined : (r: ResourceProfile) => inAreaFast(s, r);
    const block = [resources.filedUnder(departmentKey(s.department))];
    const candidates = candidatesFor(s.vector, resources, block, all ? undefined : resourcesServing(s, localReachKm), admissible, opts.limit);
    return rank(a, { kind: 'structure', id: s.entity.id }, candidates, opts, () => s, (slot) => resources.profiles[slot], resources);
  };

  /** Structures whose texts hold a distinctive word of the resource's commune (see namesPlace). */
  function structuresNaming(r: ResourceProfile): number[] {
    const slots: number[] = [];
    for (const stem of r.placeStems) {
      const term = vocabulary.find(stem);
      if (term !== undefined) structures.index.forEachDoc(term, (slot) => { slots.push(slot); });
    }
    return slots;
  }

  /**
   * The structures a resource's text search is completed with: its département, or for a local
   * offer the cells within its reach, nearest first, and the structures citing its commune.
   */
  function nearby(r: ResourceProfile, area: string[] | undefined, namers: readonly number[]): (readonly number[])[] {
    if (r.scope !== 'local' || area === undefined) return [structures.filedUnder(departmentKey(r.department))];
    return [...area.map((key) => structures.filedUnder(key)), namers];
  }

  const rankForResource = (r: ResourceProfile, options?: MatchOptions, a = analyser): MatchList => {
    const opts = optionsOf(options);
    const all = opts.includeExcluded === true;
    // The area filter is exact for a departmental or regional offer (its département or région)
    // and a national one reaches everybody: only a local offer's cells need the distance.
    const admissible = all || r.scope !== 'local' ? undefined : (s: StructureProfile) => inAreaFast(s, r);
    const area = all ? undefined : structuresServedBy(r);
    // A local offer without radius also reaches, twice as far, the structures that name its commune.
    const namers = area && r.scope === 'local' && r.entity.radius_km === undefined ? structuresNaming(r) : [];
    const candidates = candidatesFor(r.vector, structures, nearby(r, area, namers), area, admissible, opts.limit, namers);
    return rank(a, { kind: 'resource', id: r.entity.id }, candidates, opts, (slot) => structures.profiles[slot], () => r, structures);
  };

  /**
   * A preview analyses a record outside the collections, with the current idf, through scratch
   * views of the vocabulary and the surface pool: its new words are forgotten after the answer.
   */
  const scratch = (): Analyser => ({ vocabulary: vocabulary.scratch(), thesaurus: deps.thesaurus, surfaces: pool.scratch() });
  const previewStructure = (s: Structure, options?: MatchOptions) => {
    const a = scratch();
    return rankForStructure(finishStructure(a, analyseStructure(a, s)), options, a);
  };
  const previewResource = (r: Resource, options?: MatchOptions) => {
    const a = scratch();
    return rankForResource(finishResource(a, analyseResource(a, r)), options, a);
  };

  return {
    matchStructure(id, options) {
      const s = structures.get(id);
      if (!s) throw notFound('matches.structure_not_found', `Structure « ${id} » introuvable.`);
      return rankForStructure(s, options);
    },
    matchResource(id, options) {
      const r = resources.get(id);
      if (!r) throw notFound('matches.resource_not_found', `Ressource « ${id} » introuvable.`);
      return rankForResource(r, options);
    },
    previewStructure,
    previewResource,
    upsertStructure(s) {
      const pending = analyseStructure(analyser, s);
      const previous = structures.get(s.id);
      if (previous) vocabulary.removeDocument(previous.vector.ids);
      vocabulary.addDocument(pending.bag.ids);
      structures.upsert(finishStructure(analyser, pending));
    },
    upsertResource(r) {
      const pending = analyseResource(analyser, r);
      const previous = resources.get(r.id);
      if (previous) vocabulary.removeDocument(previous.vector.ids);
      vocabulary.addDocument(pending.bag.ids);
      const profile = finishResource(analyser, pending);
      noteReach(profile);
      resources.upsert(profile);
    },
    remove(kind, id) {
      const removed = kind === 'structure' ? structures.remove(id) : resources.remove(id);
      if (removed) vocabulary.removeDocument(removed.vector.ids);
    },
    getStructure: (id) => structures.get(id)?.entity,
    getResource: (id) => resources.get(id)?.entity,
    stats: () => ({ structures: structures.size, resources: resources.size, terms: vocabulary.size, modelVersion: deps.model.version, builtInMs }),
  };
}
