/**
 * Matching as every entry point asks for it: a checked request (matching.request.ts) turned into
 * a ranking by the engine's stages over the index, with the model of the moment, and — when a
 * caller is named — the scope rules applied to the query and to the candidates, so that a list,
 * its ranks and its length only ever reflect what the caller may see:
 * - a structure key asking for another structure's matches gets 404, as if it did not exist;
 * - a structure key asking for a resource's matches gets a list holding at most itself;
 * - a delegate gets resources of its régions plus national ones, and structures of its régions.
 */
import {
  canSeeResource, canSeeStructure, resourceAccess, seesEveryResource, structureAccess, type Caller,
} from '../access/access.policy.ts';
import { accessErrors } from '../access/access.errors.ts';
import type { EntityKind, Resource, Structure } from '../domain/types.ts';
import { matchResource, matchStructure, previewResource, previewStructure } from '../engine/engine.ts';
import type { Index, IndexStats } from '../engine/index.ts';
import type { Allow } from '../engine/request.ts';
import type { MatchList } from '../engine/types.ts';
import type { Rng } from '../learning/events.ts';
import type { RankingModel } from '../ranking/model.ts';
import { matchingErrors } from './matching.errors.ts';
import { interleaveLists } from './matching.interleave.ts';
import type { RecordStamps } from '../records/records.repository.ts';
import { parseMatchQuery, toRankRequest, type MatchQuery, type MatchQueryInput } from './matching.request.ts';

export interface MatchingDeps {
  index: Index;
  /** When the indexed records last changed (see records.usecases.ts): kept with the index. */
  stamps?: RecordStamps;
  /** The model that scores when a request names none (the current one: promotion changes it). */
  model: RankingModel;
  now?: () => Date;
  /** Random source of online comparisons (which rankings interleave, team-draft coin flips). */
  rng?: Rng;
}

/** A candidate compared online with the current model, in a share of the rankings. */
export interface OnlineComparison { model: RankingModel; share: number }

export type Query = MatchQuery | MatchQueryInput | Record<string, unknown>;

export interface Matching {
  readonly index: Index;
  readonly stamps?: RecordStamps;
  /** The current model. */
  model(): RankingModel;
  /** Makes another model current (promotion, rollback): the next request uses it. */
  useModel(model: RankingModel): void;
  /** The candidate compared online, if any. */
  comparison(): OnlineComparison | undefined;
  /**
   * Interleaves `candidate` with the current model in `share` of the rankings that name no model
   * (matching.interleave.ts); undefined or a share of 0 stops it.
   */
  compareOnline(candidate: RankingModel | undefined, share: number): void;
  /** Sizes of the index and the current model's version. */
  stats(): IndexStats & { modelVersion: string };
  /**
   * Resources for a structure; with a caller, its scope applies; `keep` leaves out more candidates
   * (a requester's exclusions: it is asked only about candidates the caller may see).
   */
  forStructure(id: string, query?: Query, caller?: Caller, model?: RankingModel, keep?: Keep): MatchList;
  /** Structures for a resource. */
  forResource(id: string, query?: Query, caller?: Caller, model?: RankingModel, keep?: Keep): MatchList;
  /** Matches of an unsaved, validated and placed record; nothing is stored or indexed. */
  preview(kind: EntityKind, entity: Structure | Resource, query?: Query, caller?: Caller, model?: RankingModel, keep?: Keep): MatchList;
}

/**
 * A further filter of candidates (true: keep), given each one's id and, when the engine asks, its
 * record (the engine's candidates are always records of the index).
 */
export type Keep = Allow;

/** Both filters: the scope first, so that `keep` only sees what the caller may see. */
function both(scope: Keep | undefined, keep: Keep | undefined): Keep | undefined {
  if (!keep) return scope;
  if (!scope) return keep;
  return (id, candidate) => scope(id, candidate) && keep(id, candidate);
}

/**
 * Candidates of the other side a caller may see. The record comes with the id from the engine,
 * which asks about every candidate it considers (hundreds a query): it is looked up only when
 * missing.
 */
function candidateFilter(index: Index, caller: Caller | undefined, candidates: EntityKind): Keep | undefined {
  if (!caller || caller.role === 'admin') return undefined;
  if (candidates === 'resource') {
    if (seesEveryResource(caller)) return undefined;
    return (id, candidate) => {
      const r = (candidate as Resource | undefined) ?? index.getResource(id);
      return r !== undefined && canSeeResource(caller, { id, region: r.place.region, scope: r.scope ?? 'local' });
    };
  }
  return (id, candidate) => {
    const s = (candidate as Structure | undefined) ?? index.getStructure(id);
    return s !== undefined && canSeeStructure(caller, { id, region: s.place.region });
  };
}

/** Ranks 1..n again after the scope filter (the engine already filtered; this keeps it so). */
function onlyAllowed(list: MatchList, allow: Keep | undefined): MatchList {
  if (!allow) return list;
  const results = list.results.filter((r) => allow(r.id));
  // Renumbered in place: the engine's results are this request's own, and a `{ ...r }` copy is
  // promoted to the old generation (see rank.ts).
  results.forEach((r, i) => { r.rank = i + 1; });
  return { ...list, results };
}

export function createMatching(deps: MatchingDeps): Matching {
  const { index } = deps;
  const now = deps.now ?? (() => new Date());
  const rng = deps.rng ?? { next: () => Math.random() };
  let current = deps.model;
  let online: OnlineComparison | undefined;

  const requestOf = (query: Query | undefined, model: RankingModel, allow: Keep | undefined) =>
    toRankRequest(parseMatchQuery(query ?? {}), { model, now, allow });

  /** The list of the named model; without one, the current model's, interleaved with the candidate's in a share of requests. */
  const ranked = (query: Query | undefined, explicit: RankingModel | undefined, rank: (model: RankingModel) => MatchList): MatchList => {
    if (explicit) return rank(explicit);
    const c = online;
    if (!c || c.model.version === current.version || !(rng.next() < c.share)) return rank(current);
    return interleaveLists(rank(current), rank(c.model), rng, parseMatchQuery(query ?? {}).limit);
  };

  return {
    index,
    stamps: deps.stamps,
    model: () => current,
    useModel(model) { current = model; },
    comparison: () => online,
    compareOnline(candidate, share) { online = candidate && share > 0 ? { model: candidate, share } : undefined; },
    stats: () => ({ ...index.stats(), modelVersion: current.version }),

    forStructure(id, query, caller, model, keep) {
      const structure = index.getStructure(id);
      if (caller) {
        const access = structure ? structureAccess(caller, 'read', { id: structure.id, region: structure.place.region }) : 'hidden';
        if (access === 'hidden') throw matchingErrors.structureNotFound(id);
        if (access === 'forbidden') throw accessErrors.forbidden('Cette structure est hors des régions de votre clé.');
      }
      const allow = both(candidateFilter(index, caller, 'resource'), keep);
      return ranked(query, model, (m) => onlyAllowed(matchStructure(index, id, requestOf(query, m, allow)), allow));
    },

    forResource(id, query, caller, model, keep) {
      const resource = index.getResource(id);
      if (caller) {
        if (!resource) throw matchingErrors.resourceNotFound(id);
        const access = resourceAccess(caller, 'read', { id: resource.id, region: resource.place.region, scope: resource.scope ?? 'local' });
        if (access !== 'allow') throw accessErrors.forbidden('Cette ressource est hors des régions de votre clé.');
      }
      const allow = both(candidateFilter(index, caller, 'structure'), keep);
      return ranked(query, model, (m) => onlyAllowed(matchResource(index, id, requestOf(query, m, allow)), allow));
    },

    preview(kind, entity, query, caller, model = current, keep) {
      const allow = both(candidateFilter(index, caller, kind === 'structure' ? 'resource' : 'structure'), keep);
      const request = requestOf(query, model, allow);
      const list = kind === 'structure' ? previewStructure(index, entity as Structure, request) : previewResource(index, entity as Resource, request);
      return onlyAllowed(list, allow);
    },
  };
}
