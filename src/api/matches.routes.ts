/**
 * Matches in both directions and the preview of an unsaved record. The caller's scope filters the
 * candidates inside the engine (`allow`), so a list, its ranks and its length only ever reflect
 * what the caller may see:
 * - a structure key asking for another structure's matches gets 404, as if it did not exist;
 * - a structure key asking for a resource's matches gets a list holding at most itself (rank 1
 *   when it matches): it learns whether and why it fits an offer, never who else does;
 * - a delegate gets resources of its régions plus national ones, and structures of its régions.
 */
import { z } from 'zod';
import { PILLARS, type EntityKind, type Resource, type Structure } from '../domain/types.ts';
import type { MatchList, MatchOptions } from '../engine/types.ts';
import { canSeeResource, canSeeStructure, resourceAccess, structureAccess, type Caller } from './auth/policy.ts';
import type { ApiContext } from './context.ts';
import { apiErrors } from './errors.ts';
import { defineRoute, recordNotFound, type RouteSpec } from './routes.ts';
import { idParams, resourceInputSchema, structureInputSchema } from './records.schemas.ts';
import { validateForApi } from './validation.ts';

const booleanParam = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const matchQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(20).describe('Nombre de résultats'),
  as_of: z.iso.date({ error: 'date AAAA-MM-JJ attendue (ex. 2026-12-01)' }).optional().describe('Date de référence AAAA-MM-JJ pour les disponibilités (défaut : aujourd’hui)'),
  pillar: z.enum(PILLARS).optional().describe('Seulement ce pilier'),
  explain: booleanParam.optional().describe('Joindre l’explication complète de chaque résultat (true/false)'),
});


const explanationSchema = z.object({
  features: z.array(z.object({
    name: z.string(), value: z.number(), weight: z.number(), contribution: z.number(), label: z.string(),
  })).describe('Chaque caractéristique : valeur dans [0, 1], poids du modèle, contribution au score'),
  matched_words: z.array(z.object({
    query: z.string(), candidate: z.string(), link: z.enum(['same', 'thesaurus', 'spelling']),
  })).describe('Mots rapprochés entre les deux textes'),
  distance_km: z.number(),
  reasons: z.array(z.string()).describe('Raisons lisibles en français'),
  exclusions: z.array(z.string()).describe('Contraintes non respectées (vide quand admis)'),
});

export const matchListSchema = z.object({
  query: z.object({ kind: z.enum(['structure', 'resource']), id: z.string() }),
  as_of: z.iso.date(),
  model_version: z.string(),
  results: z.array(z.object({
    id: z.string(),
    kind: z.enum(['structure', 'resource']),
    rank: z.number().int().min(1),
    score: z.number(),
    label: z.string().describe('Titre de la ressource ou nom de la structure'),
    features: z.record(z.string(), z.number()).describe('Valeur de chaque caractéristique, dans [0, 1]'),
    excluded: z.boolean(),
    explanation: explanationSchema.optional(),
  })),
}).describe('Liste classée, meilleurs d’abord, limitée à ce que la clé peut voir.');

export const previewBodySchema = z.union([
  z.strictObject({ structure: structureInputSchema }),
  z.strictObject({ resource: resourceInputSchema }),
]).describe('Un enregistrement non enregistré : { "structure": {…} } ou { "resource": {…} } ; son id est facultatif.');

/** Candidates of the other side a caller may see, for the engine's `allow`. */
export function candidateFilter(ctx: ApiContext, caller: Caller, candidates: EntityKind): (id: string) => boolean {
  if (caller.role === 'admin') return () => true;
  if (candidates === 'resource') {
    return (id) => {
      const r = ctx.engine.getResource(id);
      return r !== undefined && canSeeResource(caller, { id, region: r.place.region, scope: r.scope ?? 'local' });
    };
  }
  return (id) => {
    const s = ctx.engine.getStructure(id);
    return s !== undefined && canSeeStructure(caller, { id, region: s.place.region });
  };
}

/** The engine's list in the API's snake_case, filtered again by `allow` and ranked 1..n. */
export function toMatchBody(list: MatchList, allow: (id: string) => boolean) {
  const results = list.results.filter((r) => allow(r.id));
  return {
    query: list.query,
    as_of: list.asOf,
    model_version: list.modelVersion,
    results: results.map((r, i) => ({
      id: r.id, kind: r.kind, rank: i + 1, score: r.score, label: r.label, features: r.features, excluded: r.excluded,
      ...(r.explanation ? {
        explanation: {
          features: r.explanation.features,
          matched_words: r.explanation.matchedWords,
          distance_km: r.explanation.distanceKm,
          reasons: r.explanation.reasons,
          exclusions: r.explanation.exclusions,
        },
      } : {}),
    })),
  };
}

const optionsOf = (q: z.output<typeof matchQuerySchema>, allow: (id: string) => boolean): MatchOptions => ({
  limit: q.limit, asOf: q.as_of, pillar: q.pillar, explain: q.explain ?? false, allow,
});

const ERRORS_400 = ['request.invalid', 'matches.bad_limit', 'matches.bad_as_of'];

export function matchRoutes(ctx: ApiContext): RouteSpec[] {
  const structureNotFound = (id: string) => recordNotFound('matches.structure_not_found', 'Structure', id);
  const resourceNotFound = (id: string) => recordNotFound('matches.resource_not_found', 'Ressource', id);

  return [
    defineRoute({
      method: 'get', path: '/structures/:id/matches', operationId: 'matchStructure', tag: 'Correspondances',
      summary: 'Ressources proposées à une structure, classées et expliquées',
      access: 'admin ; délégué si la structure est dans ses régions (ressources de ses régions et nationales) ; '
        + 'structure : la sienne seulement (une autre répond 404).',
      params: idParams, query: matchQuerySchema,
      responses: { 200: { description: 'Ressources classées', schema: matchListSchema } },
      errors: { 400: ERRORS_400, 403: ['auth.forbidden'], 404: ['matches.structure_not_found'] },
      handle({ params, query, caller }) {
        const structure = ctx.engine.getStructure(params.id);
        const access = structure ? structureAccess(caller, 'read', { id: structure.id, region: structure.place.region }) : 'hidden';
        if (access === 'hidden') throw structureNotFound(params.id);
        if (access === 'forbidden') throw apiErrors.forbidden('Cette structure est hors des régions de votre clé.');
        const allow = candidateFilter(ctx, caller, 'resource');
        const body = toMatchBody(ctx.engine.matchStructure(params.id, optionsOf(query, allow)), allow);
        ctx.metrics.matchesServed('structure', body.results.length);
        return { body };
      },
    }),
    defineRoute({
      method: 'get', path: '/resources/:id/matches', operationId: 'matchResource', tag: 'Correspondances',
      summary: 'Structures à qui proposer une ressource, classées et expliquées',
      access: 'admin ; délégué si la ressource est dans ses régions ou nationale (structures de ses régions) ; '
        + 'structure : la liste ne contient qu’elle-même, si elle correspond.',
      params: idParams, query: matchQuerySchema,
      responses: { 200: { description: 'Structures classées', schema: matchListSchema } },
      errors: { 400: ERRORS_400, 403: ['auth.forbidden'], 404: ['matches.resource_not_found'] },
      handle({ params, query, caller }) {
        const resource = ctx.engine.getResource(params.id);
        if (!resource) throw resourceNotFound(params.id);
        const access = resourceAccess(caller, 'read', { id: resource.id, region: resource.place.region, scope: resource.scope ?? 'local' });
        if (access !== 'allow') throw apiErrors.forbidden('Cette ressource est hors des régions de votre clé.');
        const allow = candidateFilter(ctx, caller, 'structure');
        const body = toMatchBody(ctx.engine.matchResource(params.id, optionsOf(query, allow)), allow);
        ctx.metrics.matchesServed('resource', body.results.length);
        return { body };
      },
    }),
    defineRoute({
      method: 'post', path: '/matches/preview', operationId: 'previewMatches', tag: 'Correspondances',
      summary: 'Correspondances d’un enregistrement non enregistré (essayer avant de s’inscrire)',
      description: 'Le corps est validé comme à la création (mêmes champs, même code postal), sans rien enregistrer.',
      access: 'toute clé ; les résultats sont limités à ce que la clé peut voir.',
      query: matchQuerySchema,
      body: { schema: previewBodySchema, parse: (raw) => parsePreview(ctx, raw) },
      responses: { 200: { description: 'Liste classée', schema: matchListSchema } },
      errors: { 400: ERRORS_400 },
      handle({ query, body, caller }) {
        const { kind, entity } = body;
        const allow = candidateFilter(ctx, caller, kind === 'structure' ? 'resource' : 'structure');
        const list = kind === 'structure'
          ? ctx.engine.previewStructure(entity as Structure, optionsOf(query, allow))
          : ctx.engine.previewResource(entity as Resource, optionsOf(query, allow));
        const out = toMatchBody(list, allow);
        ctx.metrics.matchesServed('preview', out.results.length);
        return { body: out };
      },
    }),
  ];
}

const PREVIEW_ID = 'apercu';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{ structure: {…} }` or `{ resource: {…} }`, validated like a creation; the id may be left out. */
function parsePreview(ctx: ApiContext, raw: unknown): { kind: EntityKind; entity: Structure | Resource } {
  const keys = isObject(raw) ? Object.keys(raw) : [];
  const kind = keys.length === 1 && (keys[0] === 'structure' || keys[0] === 'resource') ? keys[0] : undefined;
  if (!kind || !isObject((raw as Record<string, unknown>)[kind])) {
    throw apiErrors.invalidRequest([{ path: '', message: 'un objet { "structure": {…} } ou { "resource": {…} } est attendu' }]);
  }
  const input = (raw as Record<string, Record<string, unknown>>)[kind];
  const { record, place } = validateForApi(kind, { id: PREVIEW_ID, ...input }, ctx.geography, kind);
  return { kind, entity: { ...record, place } as Structure | Resource };
}
