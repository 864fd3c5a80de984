/**
 * Feedback events over HTTP: send (one or a batch, all or nothing, idempotent by client_event_id)
 * and list (filters, cursor pages, the caller's scope). The routes parse and present; the rules
 * are in src/feedback/feedback.usecases.ts.
 */
import { z } from 'zod';
import type { StoredFeedbackEvent } from '../feedback/feedback.repository.ts';
import {
  feedbackBodySchema, feedbackListQuerySchema, MAX_BATCH, NOT_INTERESTED_REASONS, parseFeedbackBody,
} from '../feedback/feedback.schemas.ts';
import { FEEDBACK_KINDS } from '../learning/events.ts';
import type { Caller } from '../access/access.policy.ts';
import type { ApiContext } from './context.ts';
import { defineRoute, type RouteSpec } from './routes.ts';

const eventOutputSchema = z.object({
  id: z.number().int(),
  client_event_id: z.string(),
  kind: z.enum(FEEDBACK_KINDS),
  reason: z.enum(NOT_INTERESTED_REASONS).nullable(),
  reason_text: z.string().nullable(),
  ranking_id: z.string().nullable(),
  position: z.number().int().nullable().describe('Position où l’élément était montré dans ce classement'),
  structure_id: z.string(),
  resource_id: z.string(),
  role: z.enum(['admin', 'delegate', 'structure']).describe('Rôle de la clé qui l’a envoyé'),
  key_id: z.string().nullable().optional().describe('Clé qui l’a envoyé (administrateurs seulement ; null : ligne de commande)'),
  occurred_at: z.iso.datetime({ offset: true }),
  received_at: z.iso.datetime({ offset: true }),
});

export const feedbackRecordedSchema = z.object({
  created: z.number().int().describe('Événements nouveaux, enregistrés'),
  duplicates: z.number().int().describe('Événements déjà reçus (même client_event_id) : non réécrits'),
  events: z.array(z.object({ client_event_id: z.string(), status: z.enum(['created', 'duplicate']) })),
});

export const feedbackListSchema = z.object({
  items: z.array(eventOutputSchema),
  next_cursor: z.string().nullable().describe('À passer en cursor pour la page suivante ; null à la dernière'),
});

function present(e: StoredFeedbackEvent, caller: Caller) {
  return {
    id: e.id, client_event_id: e.clientEventId, kind: e.kind, reason: e.reason, reason_text: e.reasonText,
    ranking_id: e.rankingId, position: e.position, structure_id: e.structureId, resource_id: e.resourceId, role: e.role,
    ...(caller.role === 'admin' ? { key_id: e.keyId } : {}),
    occurred_at: e.occurredAt.toISOString(), received_at: e.receivedAt.toISOString(),
  };
}

export function feedbackRoutes(ctx: ApiContext): RouteSpec[] {
  const { feedback } = ctx.feedback;
  return [
    defineRoute({
      method: 'post', path: '/feedback', operationId: 'sendFeedback', tag: 'Avis',
      summary: 'Envoyer des avis sur des correspondances (vu, retenu, contacté, partenariat, pas intéressé)',
      description: `Un événement, ou { "events": [ … ] } jusqu’à ${MAX_BATCH}. Chacun désigne un élément d’un classement `
        + '(ranking_id + item_id) ou, hors classement, une paire (structure_id + resource_id). Idempotent : un client_event_id '
        + 'déjà reçu n’est pas réécrit (201 si au moins un événement est nouveau, 200 sinon). Un lot est enregistré en entier ou '
        + 'pas du tout : à la première erreur, rien n’est écrit et l’erreur nomme l’événement (details.index). Effet immédiat : '
        + 'ce que vous marquez not_interested ou partnership ne vous est plus proposé.',
      access: 'toute clé, dans son périmètre : une structure seulement sur sa propre structure (une autre répond 404, comme '
        + 'si elle n’existait pas) ; un délégué sur les structures de ses régions (sinon 403) ; admin sur tout.',
      body: { schema: feedbackBodySchema, parse: parseFeedbackBody },
      responses: {
        201: { description: 'Au moins un événement nouveau', schema: feedbackRecordedSchema },
        200: { description: 'Tous déjà reçus : rien de nouveau', schema: feedbackRecordedSchema },
      },
      errors: {
        400: ['request.invalid', 'request.invalid_json'], 403: ['auth.forbidden'],
        404: ['feedback.unknown_ranking', 'feedback.structure_not_found', 'feedback.resource_not_found'],
        413: ['request.too_large'], 415: ['request.unsupported_media_type'],
        422: ['feedback.item_not_in_ranking', 'feedback.preview_ranking'],
      },
      async handle({ caller, body }) {
        const result = await feedback.record(caller, body.events, body.batch);
        for (const e of result.created) ctx.metrics.feedbackRecorded(e.kind);
        const created = new Set(result.created.map((e) => e.clientEventId));
        return {
          status: result.created.length > 0 ? 201 : 200,
          body: {
            created: result.created.length, duplicates: result.duplicates.length,
            events: [...new Map(body.events.map((e) => [e.client_event_id, e])).keys()].map((id) => ({
              client_event_id: id, status: created.has(id) ? 'created' : 'duplicate',
            })),
          },
        };
      },
    }),
    defineRoute({
      method: 'get', path: '/feedback', operationId: 'listFeedback', tag: 'Avis',
      summary: 'Lister les avis (filtres : structure, ressource, type, période ; pagination par curseur)',
      access: 'admin : tout ; délégué : les avis sur les structures de ses régions ; structure : ceux sur sa propre structure. '
        + 'Un filtre hors de ce périmètre (une structure qui filtre sur une autre) donne une liste vide, pas une erreur : '
        + 'un filtre ne désigne pas un enregistrement, et une liste vide ne dit pas si l’autre structure existe.',
      query: feedbackListQuerySchema,
      responses: { 200: { description: 'Une page, dans l’ordre de réception', schema: feedbackListSchema } },
      errors: { 400: ['request.invalid'] },
      async handle({ caller, query }) {
        const page = await feedback.list(caller, query);
        return { body: { items: page.items.map((e) => present(e, caller)), next_cursor: page.nextCursor } };
      },
    }),
  ];
}
