/**
 * The matching engine in one path: a query's profile → candidates (candidates.ts) → scores and
 * ranks (score.ts, rank.ts) → explanations (explain.ts), over an `Index` (index.ts), for a
 * complete request that carries its model (request.ts). Pure in memory: src/matching builds the
 * index from the store and the request from what an entry point received.
 */
import { notFound } from '../domain/errors.ts';
import type { Resource, Structure } from '../domain/types.ts';
import { analyseResource, analyseStructure, finishResource, finishStructure, type Analyser } from '../profiles/analysis.ts';
import type { ResourceProfile, StructureProfile } from '../profiles/profiles.ts';
import { resourceCandidates, structureCandidates } from './candidates.ts';
import type { Index } from './index.ts';
import { rank } from './rank.ts';
import type { RankRequest } from './request.ts';
import type { MatchList } from './types.ts';

/** Resources for a structure's profile (indexed or previewed with `a`). */
export function rankForStructure(index: Index, s: StructureProfile, request: RankRequest, a: Analyser = index.analyser): MatchList {
  const candidates = resourceCandidates(index, s, request);
  return rank(a, { kind: 'structure', id: s.entity.id }, candidates, request, {
    structureAt: () => s, resourceAt: (slot) => index.resources.profiles[slot], other: index.resources,
  });
}

/** Structures for a resource's profile (indexed or previewed with `a`). */
export function rankForResource(index: Index, r: ResourceProfile, request: RankRequest, a: Analyser = index.analyser): MatchList {
  const candidates = structureCandidates(index, r, request);
  return rank(a, { kind: 'resource', id: r.entity.id }, candidates, request, {
    structureAt: (slot) => index.structures.profiles[slot], resourceAt: () => r, other: index.structures,
  });
}

/** Resources for an indexed structure; `matches.structure_not_found` (404) for an unknown or archived id. */
export function matchStructure(index: Index, id: string, request: RankRequest): MatchList {
  const s = index.structures.get(id);
  if (!s) throw notFound('matches.structure_not_found', `Structure « ${id} » introuvable.`);
  return rankForStructure(index, s, request);
}

/** Structures for an indexed resource; `matches.resource_not_found` (404). */
export function matchResource(index: Index, id: string, request: RankRequest): MatchList {
  const r = index.resources.get(id);
  if (!r) throw notFound('matches.resource_not_found', `Ressource « ${id} » introuvable.`);
  return rankForResource(index, r, request);
}

/** Matches of an unsaved record (validated and placed), analysed apart: the index is left as it was. */
export function previewStructure(index: Index, structure: Structure, request: RankRequest): MatchList {
  const a = index.scratch();
  return rankForStructure(index, finishStructure(a, analyseStructure(a, structure)), request, a);
}

export function previewResource(index: Index, resource: Resource, request: RankRequest): MatchList {
  const a = index.scratch();
  return rankForResource(index, finishResource(a, analyseResource(a, resource)), request, a);
}
