/**
 * Ranking model versions over HTTP, for admins (the same use cases as `passerelles models`): the
 * list, one version with its figures, history and online comparison, promotion of a version, and
 * the rollback to the model that was current before (POST /models/rollback: it names no version,
 * since the registry knows which one was current before). Other keys get 403.
 */
import { z } from 'zod';
import { describeDetails, describeModel } from '../models/models.describe.ts';
import type { ApiContext } from './context.ts';
import { defineRoute, type RouteSpec } from './routes.ts';

const figuresSchema = z.object({
  version: z.string(), ndcg10: z.number().nullable(), requesters: z.number().int(), rankings: z.number().int(),
});

export const modelSchema = z.object({
  version: z.string(),
  status: z.enum(['current', 'candidate', 'retired']),
  created_at: z.iso.datetime(),
  promoted_at: z.iso.datetime().nullable(),
  parent: z.string().nullable().describe('Le modèle courant à partir duquel celui-ci a été appris'),
  reason: z.string().nullable().describe('Pourquoi il a (ou n’a pas) ce statut'),
  description: z.string().nullable(),
  bias: z.number(),
  weights: z.record(z.string(), z.number()).describe('Un poids par caractéristique'),
  training: z.object({
    trained_at: z.iso.datetime(),
    window: z.object({ from: z.string().nullable(), to: z.string().nullable(), days: z.number() }),
    trained_through_event: z.number().int(),
    events: z.number().int(), ignored_events: z.number().int(), rankings: z.number().int(), requesters: z.number().int(), pairs: z.number().int(),
    held_out: z.object({ candidate: figuresSchema, current: figuresSchema })
      .describe('NDCG@10 du modèle appris et du modèle courant sur les mêmes retours récents tenus à part'),
    guard: z.object({
      promote: z.boolean(), mean_delta: z.number().nullable(), lower: z.number().nullable(), upper: z.number().nullable(),
      requesters: z.number().int(), margin: z.number(), confidence: z.number(), reason: z.string(),
    }),
    propensities: z.object({ estimated: z.boolean(), values: z.array(z.number()), swaps: z.array(z.number()), eta: z.number() }),
    seconds: z.number(),
  }).nullable().describe('Absent pour un modèle du dépôt'),
}).describe('Une version du modèle de classement.');

export const modelDetailsSchema = modelSchema.extend({
  changes: z.array(z.object({
    action: z.enum(['registered', 'trained', 'promoted', 'rolled_back', 'retired']),
    from_status: z.string().nullable(), to_status: z.string(), reason: z.string(), actor: z.string(), at: z.iso.datetime(),
  })).describe('Chaque changement de statut, avec son motif et son auteur'),
  interleaving: z.object({
    served: z.number().int(), judged: z.number().int(), wins: z.number().int(), ties: z.number().int(), losses: z.number().int(),
    share: z.number().nullable(), p_value: z.number(),
  }).describe('Comparaison en ligne (entrelacement) avec le modèle courant : classements gagnés, nuls, perdus par ce modèle'),
});

export const modelChangeBodySchema = z.strictObject({
  reason: z.string().max(500).optional().describe('Motif, conservé dans l’historique'),
}).describe('Motif facultatif');

const versionParams = z.strictObject({ version: z.string().min(1).max(100).describe('Version du modèle (ex. appris-20261204-031500)') });
const ADMIN = 'admin seulement.';

export function modelRoutes(ctx: ApiContext): RouteSpec[] {
  const { models } = ctx;
  return [
    defineRoute({
      method: 'get', path: '/models', operationId: 'listModels', tag: 'Modèles', summary: 'Lister les versions du modèle de classement',
      access: ADMIN,
      responses: { 200: { description: 'Les versions, les plus récentes d’abord', schema: z.object({ items: z.array(modelSchema) }) } },
      errors: { 403: ['auth.forbidden'] },
      async handle({ caller }) {
        return { body: { items: (await models.list(caller)).map(describeModel) } };
      },
    }),
    defineRoute({
      method: 'get', path: '/models/:version', operationId: 'showModel', tag: 'Modèles',
      summary: 'Une version : poids, entraînement, évaluation, historique, comparaison en ligne',
      access: ADMIN, params: versionParams,
      responses: { 200: { description: 'La version', schema: modelDetailsSchema } },
      errors: { 403: ['auth.forbidden'], 404: ['models.not_found'] },
      async handle({ caller, params }) {
        return { body: describeDetails(await models.show(caller, params.version)) };
      },
    }),
    defineRoute({
      method: 'post', path: '/models/rollback', operationId: 'rollbackModel', tag: 'Modèles',
      summary: 'Revenir au modèle courant précédent',
      description: 'Le modèle courant est retiré ; celui qui était courant avant lui le redevient. Le service l’adopte sans redémarrer.',
      access: ADMIN,
      body: { schema: modelChangeBodySchema, optional: true },
      responses: { 200: { description: 'Le modèle redevenu courant et celui qui a été retiré', schema: z.object({ current: modelSchema, retired: modelSchema }) } },
      errors: { 403: ['auth.forbidden'], 409: ['models.nothing_to_roll_back', 'models.no_current'] },
      async handle({ caller, body, req }) {
        const { from, to } = await models.rollback(caller, (body as { reason?: string } | undefined)?.reason);
        req.log.info({ from: from.version, to: to.version }, 'model rolled back');
        return { body: { current: describeModel(to), retired: describeModel(from) } };
      },
    }),
    defineRoute({
      method: 'post', path: '/models/:version/promote', operationId: 'promoteModel', tag: 'Modèles',
      summary: 'Rendre une version courante',
      description: 'Le modèle courant est retiré (le retour arrière reste possible). Le service l’adopte sans redémarrer.',
      access: ADMIN, params: versionParams,
      body: { schema: modelChangeBodySchema, optional: true },
      responses: { 200: { description: 'La version promue', schema: modelSchema } },
      errors: { 403: ['auth.forbidden'], 404: ['models.not_found'], 409: ['models.already_current'] },
      async handle({ caller, params, body, req }) {
        const promoted = await models.promote(caller, params.version, (body as { reason?: string } | undefined)?.reason);
        req.log.info({ version: promoted.version }, 'model promoted');
        return { body: describeModel(promoted) };
      },
    }),
  ];
}
