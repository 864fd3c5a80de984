/**
 * The matching engine: two collections over one vocabulary, candidate generation (inverted index
 * + département block), exact scoring of the candidates with the features and the model, top-k,
 * and explanations for what is returned. Pure in-memory; loading from the store is in load.ts.
 */
import { notFound, invalid } from '../domain/errors.ts';
import type { EntityKind, Resource, Structure } from '../domain/types.ts';
import { computeFeatures, FEATURE_NAMES, type PairContext } from '../features/index.ts';
import { exclusions } from '../features/constraints.ts';
import { inArea, localReach } from '../features/geography.ts';
import { dayNumber, type ResourceProfile, type StructureProfile } from '../features/profiles.ts';
import { haversineKm } from '../geo/distance.ts';
import { score, type RankingModel } from '../ranking/model.ts';
import { Collection } from '../retrieval/collection.ts';
import { cosine } from '../retrieval/documents.ts';
import { TopK } from '../retrieval/top-k.ts';
import { Vocabulary } from '../retrieval/vocabulary.ts';
import type { Thesaurus } from '../text/thesaurus.ts';
import {
  analyseResource, analyseStructure, finishResource, finishStructure, type Analyser,
} from './analysis.ts';
import { explainPair } from './explain.ts';
import type { Engine, MatchList, MatchOptions, MatchResult } from './types.ts';

/** inArea, computing the distance only for local offers and only when the latitudes allow it. */
function inAreaFast(s: StructureProfile, r: ResourceProfile): boolean {
  if ((r.entity.scope ?? 'local') !== 'local') return inArea(s, r, 0);
  const a = s.entity.place, b = r.entity.place;
  if (Math.abs(a.lat - b.lat) * 111.2 > localReach(s, r)) return false;
  return inArea(s, r, haversineKm(a.lat, a.lon, b.lat, b.lon));
}

/** Candidates taken from the text index before exact scoring. */
export const TEXT_CANDIDATES = 300;
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 200;

export interface EngineDeps {
  thesaurus: Thesaurus;
  model: RankingModel;
  /** Today's date, YYYY-MM-DD (injected for tests). */
  today?: () => string;
}

export function createEngine(deps: EngineDeps, data: { structures: Iterable<Structure>; resources: Iterable<Resource> }): Engine {
  const started = performance.now();
  const analyser: Analyser = { vocabulary: new Vocabulary(), thesaurus: deps.thesaurus };
  const structures = new Collection<StructureProfile>();
  const resources = new Collection<ResourceProfile>();
  const today = deps.today ?? (() => new Date().toISOString().slice(0, 10));

  // Two passes: document frequencies first, then vectors with the final idf.
  const pendingS = [...data.structures].map((s) => analyseStructure(analyser, s));
  const pendingR = [...data.resources].map((r) => analyseResource(analyser, r));
  for (const p of pendingS) analyser.vocabulary.addDocument(p.bag.ids);
  for (const p of pendingR) analyser.vocabulary.addDocument(p.bag.ids);
  structures.build(pendingS.map((p) => finishStructure(analyser, p)), analyser.vocabulary.size);
  resources.build(pendingR.map((p) => finishResource(analyser, p)), analyser.vocabulary.size);
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

  function pairContext(s: StructureProfile, r: ResourceProfile, asOfDay: number, textCosine?: number): PairContext {
    const a = s.entity.place, b = r.entity.place;
    return {
      distanceKm: haversineKm(a.lat, a.lon, b.lat, b.lon),
      textCosine: textCosine ?? cosine(s.vector, r.vector),
      needCosine: cosine(s.needVector, r.vector),
      asOfDay,
    };
  }

  /** Scores candidate pairs and returns the list, admitted best first then excluded ones. */
  function rank(
    query: { kind: EntityKind; id: string }, candidates: Map<number, number>, opts: Opts,
    pairOf: (slot: number) => [StructureProfile, ResourceProfile], other: Collection<StructureProfile> | Collection<ResourceProfile>,
  ): MatchList {
    const idOf = (slot: number) => other.profiles[slot].entity.id;
    const before = (a: number, b: number) => idOf(a) < idOf(b);
    const admitted = new TopK(opts.limit, before);
    const excluded = new TopK(opts.includeExcluded ? opts.limit : 0, before);
    const features = new Float64Array(FEATURE_NAMES.length);
    const pairs = new Map<number, { pair: PairContext; score: number; features: Float64Array; out: boolean }>();
    for (const [slot, text] of candidates) {
      if (!other.isAlive(slot) || (opts.allow && !opts.allow(idOf(slot)))) continue;
      const [s, r] = pairOf(slot);
      if (opts.pillar && !(query.kind === 'structure' ? r.entity.pillar === opts.pillar : s.entity.needs.includes(opts.pillar))) continue;
      const pair = pairContext(s, r, opts.asOfDay, text);
      const out = exclusions(s, r, pair).length > 0;
      if (out && !opts.includeExcluded) continue;
      computeFeatures(s, r, pair, features);
      const value = score(features, deps.model);
      (out ? excluded : admitted).push(slot, value);
      pairs.set(slot, { pair, score: value, features: features.slice(), out });
    }
    const ordered = [...admitted.sorted(), ...excluded.sorted()].slice(0, opts.limit);
    const results: MatchResult[] = ordered.map(({ slot }, i) => {
      const p = pairs.get(slot)!;
      const [s, r] = pairOf(slot);
      const candidate = query.kind === 'structure' ? r : s;
      return {
        id: candidate.entity.id,
        kind: candidate.kind,
        rank: i + 1,
        score: Math.round(p.score * 1e4) / 1e4,
        label: candidate.kind === 'resource' ? r.entity.title : s.entity.name,
        features: Object.fromEntries(FEATURE_NAMES.map((n, k) => [n, Math.round(p.features[k] * 1e4) / 1e4])),
        excluded: p.out,
        ...(opts.explain ? { explanation: explainPair(analyser, query.kind, s, r, p.pair, p.features, deps.model) } : {}),
      };
    });
    return { query, asOf: opts.asOf, modelVersion: deps.model.version, results };
  }

  /** Text candidates (best TEXT_CANDIDATES in the area) plus every record of the same département. */
  function candidatesFor<P extends StructureProfile | ResourceProfile>(
    vector: StructureProfile['vector'], from: Collection<P>, department: string, admissible: (p: P) => boolean,
  ): Map<number, number> {
    const top = new TopK(TEXT_CANDIDATES);
    from.index.accumulate(vector, (slot, value) => { if (admissible(from.profiles[slot])) top.push(slot, value); });
    const out = new Map<number, number>();
    for (let i = 0; i < top.size; i++) out.set(top.slots[i], top.scores[i]);
    for (const slot of from.inDepartment(department)) if (!out.has(slot)) out.set(slot, cosine(vector, from.profiles[slot].vector));
    return out;
  }

  const rankForStructure = (s: StructureProfile, options?: MatchOptions): MatchList => {
    const opts = optionsOf(options);
    const admissible = (r: ResourceProfile) => opts.includeExcluded === true || inAreaFast(s, r);
    const candidates = candidatesFor(s.vector, resources, s.entity.place.department, admissible);
    return rank({ kind: 'structure', id: s.entity.id }, candidates, opts, (slot) => [s, resources.profiles[slot]], resources);
  };

  const rankForResource = (r: ResourceProfile, options?: MatchOptions): MatchList => {
    const opts = optionsOf(options);
    const admissible = (s: StructureProfile) => opts.includeExcluded === true || inAreaFast(s, r);
    const candidates = candidatesFor(r.vector, structures, r.entity.place.department, admissible);
    return rank({ kind: 'resource', id: r.entity.id }, candidates, opts, (slot) => [structures.profiles[slot], r], structures);
  };

  /** Indexes a record outside the collections (preview): vectors with the current idf. */
  const previewStructureProfile = (s: Structure) => finishStructure(analyser, analyseStructure(analyser, s));
  const previewResourceProfile = (r: Resource) => finishResource(analyser, analyseResource(analyser, r));

  return {
    matchStructure(id, options) {
      const s = structures.get(id);
      if (!s) throw notFound('matches.structure_not_found', `Structure introuvable : « ${id} ».`);
      return rankForStructure(s, options);
    },
    matchResource(id, options) {
      const r = resources.get(id);
      if (!r) throw notFound('matches.resource_not_found', `Ressource introuvable : « ${id} ».`);
      return rankForResource(r, options);
    },
    previewStructure: (s, options) => rankForStructure(previewStructureProfile(s), options),
    previewResource: (r, options) => rankForResource(previewResourceProfile(r), options),
    upsertStructure(s) {
      const pending = analyseStructure(analyser, s);
      const previous = structures.get(s.id);
      if (previous) analyser.vocabulary.removeDocument(previous.vector.ids);
      analyser.vocabulary.addDocument(pending.bag.ids);
      structures.upsert(finishStructure(analyser, pending));
    },
    upsertResource(r) {
      const pending = analyseResource(analyser, r);
      const previous = resources.get(r.id);
      if (previous) analyser.vocabulary.removeDocument(previous.vector.ids);
      analyser.vocabulary.addDocument(pending.bag.ids);
      resources.upsert(finishResource(analyser, pending));
    },
    remove(kind, id) {
      const removed = kind === 'structure' ? structures.remove(id) : resources.remove(id);
      if (removed) analyser.vocabulary.removeDocument(removed.vector.ids);
    },
    getStructure: (id) => structures.get(id)?.entity,
    getResource: (id) => resources.get(id)?.entity,
    stats: () => ({ structures: structures.size, resources: resources.size, modelVersion: deps.model.version, builtInMs }),
  };
}
