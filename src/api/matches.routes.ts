/**
 * Matches in both directions and the preview of an unsaved record: the routes parse and present;
 * src/matching applies the caller's scope (see matching.usecases.ts). A structure key asking for a
 * resource's matches gets a list holding at most itself: it learns whether and why it fits an
 * offer, never who else does.
 */
import type { Response } from 'express';
import { z } from 'zod';
import type { EntityKind, Resource, Structure } from '../domain/types.ts';
import { isObject } from '../domain/validation.ts';
import type { MatchList } from '../engine/types.ts';
import { explanationBody } from '../feedback/explanation-json.ts';
import type { ServedList } from '../feedback/serving.ts';
import { matchQuerySchema } from '../matching/matching.request.ts';
import { validatePlaced } from '../records/records.validation.ts';
import type { ApiContext } from './context.ts';
import { apiErrors } from './errors.ts';
import { isThenable } from './thenable.ts';
import { defineRoute, type RouteSpec } from './routes.ts';
import { idParams, resourceDraftSchema, structureDraftSchema } from './records.schemas.ts';

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
  ranking_id: z.string().nullable()
    .describe('Identifiant de ce classement, à reprendre dans les avis (POST /feedback) ; null si le journal était saturé'),
  query: z.object({ kind: z.enum(['structure', 'resource']), id: z.string() })
    .describe('Ce qui est demandé ; pour un aperçu, id est l’empreinte sha256 de l’enregistrement'),
  as_of: z.iso.date(),
  model_version: z.string(),
  excluded_by_feedback: z.number().int().min(0)
    .describe('Candidats écartés parce que vous les avez marqués « pas intéressé » ou « partenariat »'),
  excluded_by_weekly_limit: z.number().int().min(0)
    .describe('Structures écartées : déjà proposées à assez de délégués cette semaine'),
  results: z.array(z.object({
    id: z.string(),
    kind: z.enum(['structure', 'resource']),
    rank: z.number().int().min(1),
    score: z.number(),
    label: z.string().describe('Titre de la ressource ou nom de la structure'),
    features: z.record(z.string(), z.number()).describe('Valeur de chaque caractéristique, dans [0, 1]'),
    excluded: z.boolean(),
    partnership: z.boolean().describe('Un partenariat est signé pour cette paire'),
    hidden_by_feedback: z.boolean().describe('Écarté par vos avis (montré seulement avec include_excluded=true)'),
    hidden_reason: z.enum(['not_interested', 'partnership', 'weekly_limit']).optional()
      .describe('Pourquoi il est écarté : not_interested, partnership ou weekly_limit'),
    explanation: explanationSchema.optional(),
  })),
}).describe('Liste classée, meilleurs d’abord, limitée à ce que la clé peut voir.');

export const previewBodySchema = z.union([
  z.strictObject({ structure: structureDraftSchema }),
  z.strictObject({ resource: resourceDraftSchema }),
]).describe('Un enregistrement non enregistré : { "structure": {…} } ou { "resource": {…} } ; son id est facultatif.');

/** The engine's list in the API's snake_case. */
export function toMatchBody(list: ServedList) {
  const { results } = list;
  return {
    ranking_id: list.rankingId,
    query: list.query,
    as_of: list.asOf,
    model_version: list.modelVersion,
    excluded_by_feedback: list.excludedByFeedback,
    excluded_by_weekly_limit: list.excludedByWeeklyLimit,
    results: results.map((r, i) => ({
      id: r.id, kind: r.kind, rank: i + 1, score: r.score, label: r.label, features: r.features, excluded: r.excluded,
      partnership: r.partnership, hidden_by_feedback: r.hiddenByFeedback !== undefined,
      ...(r.hiddenByFeedback ? { hidden_reason: r.hiddenByFeedback } : {}),
      ...(r.explanation ? { explanation: explanationBody(r.explanation) } : {}),
    })),
  };
}

/**
 * The body's JSON; a result whose explanation a ranking thread already wrote (explanationJson)
 * gets it as its last member, where toMatchBody puts an explanation: the same text either way.
 */
export function matchBodyJson(list: ServedList): string {
  const body = toMatchBody(list);
  if (!list.results.some((r) => r.explanationJson !== undefined)) return JSON.stringify(body);
  // `results` is the body's last member: its JSON ends with `"results":[]}`.
  const head = JSON.stringify({ ...body, results: [] });
  const items = body.results.map((item, i) => {
    const json = JSON.stringify(item), written = list.results[i].explanationJson;
    return written === undefined ? json : `${json.slice(0, -1)},"explanation":${written}}`;
  });
  return `${head.slice(0, -2)}${items.join(',')}]}`;
}

const ERRORS_400 = ['request.invalid'];

export function matchRoutes(ctx: ApiContext): RouteSpec[] {
  return [
    defineRoute({
      method: 'get', path: '/structures/:id/matches', operationId: 'matchStructure', tag: 'Correspondances', memory: true,
      summary: 'Ressources proposées à une structure, classées et expliquées',
      access: 'admin ; délégué si la structure est dans ses régions (ressources de ses régions et nationales) ; '
        + 'structure : la sienne seulement (une autre répond 404).',
      params: idParams, query: matchQuerySchema,
      responses: { 200: { description: 'Ressources classées', schema: matchListSchema } },
      errors: { 400: ERRORS_400, 403: ['auth.forbidden'], 404: ['matches.structure_not_found'] },
      handle({ params, query, caller, res }) {
        return answer(ctx, res, 'structure', ctx.serving.forStructure(params.id, query, caller));
      },
    }),
    defineRoute({
      method: 'get', path: '/resources/:id/matches', operationId: 'matchResource', tag: 'Correspondances', memory: true,
      summary: 'Structures à qui proposer une ressource, classées et expliquées',
      access: 'admin ; délégué si la ressource est dans ses régions ou nationale (structures de ses régions) ; '
        + 'structure : la liste ne contient qu’elle-même, si elle correspond.',
      params: idParams, query: matchQuerySchema,
      responses: { 200: { description: 'Structures classées', schema: matchListSchema } },
      errors: { 400: ERRORS_400, 403: ['auth.forbidden'], 404: ['matches.resource_not_found'] },
      handle({ params, query, caller, res }) {
        return answer(ctx, res, 'resource', ctx.serving.forResource(params.id, query, caller));
      },
    }),
    defineRoute({
      method: 'post', path: '/matches/preview', operationId: 'previewMatches', tag: 'Correspondances', memory: true,
      summary: 'Correspondances d’un enregistrement non enregistré (essayer avant de s’inscrire)',
      description: 'Le corps est validé comme à la création (mêmes champs, même code postal), sans rien enregistrer.',
      access: 'toute clé ; les résultats sont limités à ce que la clé peut voir.',
      query: matchQuerySchema,
      body: { schema: previewBodySchema, parse: (raw) => parsePreview(ctx, raw) },
      responses: { 200: { description: 'Liste classée', schema: matchListSchema } },
      errors: { 400: ERRORS_400 },
      handle({ query, body, caller, res }) {
        const { kind, entity } = body;
        return answer(ctx, res, 'preview', ctx.serving.preview(kind, entity, query, caller));
      },
    }),
  ];
}

type MatchReply = { json: string };

/** The reply of a served list: at once when it was ranked in this thread, when it comes from a ranking thread else. */
function answer(ctx: ApiContext, res: Response, direction: 'structure' | 'resource' | 'preview', list: ServedList | Promise<ServedList>): MatchReply | Promise<MatchReply> {
  const reply = (l: ServedList): MatchReply => {
    served(ctx, res, direction, l);
    return { json: matchBodyJson(l) };
  };
  return isThenable(list) ? list.then(reply) : reply(list);
}

/** Counts a list served by model version, and puts the version on the request's log line. */
function served(ctx: ApiContext, res: Response, direction: 'structure' | 'resource' | 'preview', list: MatchList): void {
  ctx.metrics.matchesServed(direction, list);
  res.locals.modelVersion = list.modelVersion;
  if (list.interleavedWith) res.locals.interleavedWith = list.interleavedWith;
}

const PREVIEW_ID = 'apercu';

/** `{ structure: {…} }` or `{ resource: {…} }`, validated like a creation; the id may be left out. */
function parsePreview(ctx: ApiContext, raw: unknown): { kind: EntityKind; entity: Structure | Resource } {
  const keys = isObject(raw) ? Object.keys(raw) : [];
  const kind = keys.length === 1 && (keys[0] === 'structure' || keys[0] === 'resource') ? keys[0] : undefined;
  if (!kind || !isObject((raw as Record<string, unknown>)[kind])) {
    throw apiErrors.invalidRequest([{ path: '', message: 'un objet { "structure": {…} } ou { "resource": {…} } est attendu' }]);
  }
  const input = (raw as Record<string, Record<string, unknown>>)[kind];
  const { record, place } = validatePlaced(kind, { id: PREVIEW_ID, ...input }, ctx.geography, kind);
  return { kind, entity: { ...record, place } as Structure | Resource };
}
