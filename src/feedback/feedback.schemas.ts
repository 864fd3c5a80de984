/**
 * A feedback event as a client sends it (API body, line of an imported file), and the filters of
 * the event list. One schema for every entry point; field names are the API's (snake_case).
 */
import { z } from 'zod';
import { parseWith, countParam } from '../domain/validation.ts';
import { FEEDBACK_KINDS } from '../learning/events.ts';

export const NOT_INTERESTED_REASONS = ['location', 'eligibility', 'capacity', 'not_relevant', 'already_partner', 'other'] as const;
export type NotInterestedReason = (typeof NOT_INTERESTED_REASONS)[number];

export const MAX_BATCH = 1000;

const id = z.string().trim().min(1).max(200);

export const feedbackEventSchema = z.strictObject({
  client_event_id: id.describe('Identifiant de l’événement chez le client (UUID conseillé) : le même envoyé deux fois n’est gardé qu’une fois'),
  kind: z.enum(FEEDBACK_KINDS).describe('viewed (vu), shortlisted (retenu), contacted (contacté), partnership (partenariat signé), not_interested (pas intéressé)'),
  reason: z.enum(NOT_INTERESTED_REASONS).optional()
    .describe('Pour not_interested seulement : location, eligibility, capacity, not_relevant, already_partner, other'),
  reason_text: z.string().trim().min(1).max(1000).optional().describe('Précision, obligatoire avec reason = other'),
  ranking_id: id.optional().describe('Le classement où l’élément a été montré (ranking_id de la liste)'),
  item_id: id.optional().describe('L’élément de ce classement (id de la ressource ou de la structure proposée)'),
  structure_id: id.optional().describe('Hors classement : la structure de la paire'),
  resource_id: id.optional().describe('Hors classement : la ressource de la paire'),
  occurred_at: z.iso.datetime({ offset: true }).optional().describe('Quand c’est arrivé (ISO 8601 ; défaut : à la réception)'),
}).superRefine((e, ctx) => {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const inRanking = e.ranking_id !== undefined || e.item_id !== undefined;
  const pair = e.structure_id !== undefined || e.resource_id !== undefined;
  if (inRanking && pair) issue('ranking_id', 'donnez soit ranking_id et item_id, soit structure_id et resource_id, pas les deux');
  else if (inRanking) {
    if (e.ranking_id === undefined) issue('ranking_id', 'obligatoire avec item_id');
    if (e.item_id === undefined) issue('item_id', 'obligatoire avec ranking_id : l’élément du classement concerné');
  } else if (pair) {
    if (e.structure_id === undefined) issue('structure_id', 'obligatoire avec resource_id');
    if (e.resource_id === undefined) issue('resource_id', 'obligatoire avec structure_id');
  } else issue('ranking_id', 'indiquez ranking_id et item_id (élément d’un classement) ou structure_id et resource_id (une paire)');
  if (e.kind !== 'not_interested' && e.reason !== undefined) issue('reason', 'seulement avec kind = not_interested');
  if (e.reason === 'other' && e.reason_text === undefined) issue('reason_text', 'obligatoire avec reason = other');
  if (e.reason_text !== undefined && e.reason === undefined) issue('reason_text', 'seulement avec une raison (reason)');
});

export type FeedbackEventInput = z.output<typeof feedbackEventSchema>;

const batchSchema = z.strictObject({ events: z.array(feedbackEventSchema).min(1).max(MAX_BATCH) });

export const feedbackBodySchema = z.union([feedbackEventSchema, batchSchema])
  .describe(`Un événement, ou { "events": [ … ] } : jusqu’à ${MAX_BATCH} événements, enregistrés tous ou aucun.`);

export const feedbackListQuerySchema = z.strictObject({
  structure_id: id.optional().describe('Seulement les événements de cette structure'),
  resource_id: id.optional().describe('Seulement ceux de cette ressource'),
  kind: z.enum(FEEDBACK_KINDS).optional().describe('Seulement ce type d’événement'),
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional().describe('Survenus à partir de cet instant (ISO 8601 ou AAAA-MM-JJ, inclus)'),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional().describe('Survenus avant cet instant (ISO 8601 ou AAAA-MM-JJ, exclu)'),
  limit: countParam(1, 500, 100).describe('Taille de la page (1 à 500, défaut 100)'),
  cursor: z.string().regex(/^\d{1,18}$/, 'curseur invalide : reprenez next_cursor de la page précédente').optional()
    .describe('next_cursor de la page précédente'),
});

export type FeedbackListQuery = z.output<typeof feedbackListQuerySchema>;

/** One event or `{ events: […] }`; `request.invalid` names each bad field (`events.3.kind`). */
export function parseFeedbackBody(raw: unknown): { events: FeedbackEventInput[]; batch: boolean } {
  const isBatch = typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'events' in raw;
  if (isBatch) return { events: parseWith(batchSchema, raw).events, batch: true };
  return { events: [parseWith(feedbackEventSchema, raw)], batch: false };
}
