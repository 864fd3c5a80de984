/**
 * Errors of feedback events. Each names the event (its place in the batch and its client id) and
 * the field at fault; `details.reason` is the bare reason, for the rejects of a file import.
 */
import { PasserellesError } from '../domain/errors.ts';

export interface EventRef { index: number; clientEventId: string }

export interface EventErrorDetails { index: number; client_event_id: string; field: string; reason: string }

function eventError(code: string, status: number, e: EventRef, batch: boolean, field: string, reason: string): PasserellesError {
  const which = batch ? `événement n° ${e.index + 1} (« ${e.clientEventId} »)` : `événement « ${e.clientEventId} »`;
  const details: EventErrorDetails = { index: e.index, client_event_id: e.clientEventId, field, reason };
  return new PasserellesError(code, `${which}, champ ${field} : ${reason}. Rien n’a été enregistré.`, status, details);
}

export const feedbackErrors = {
  unknownRanking: (e: EventRef, batch: boolean, rankingId: string) => eventError('feedback.unknown_ranking', 404, e, batch, 'ranking_id',
    `classement « ${rankingId} » inconnu (jamais servi, ou purgé après la durée de conservation)`),
  itemNotInRanking: (e: EventRef, batch: boolean, itemId: string, rankingId: string) => eventError('feedback.item_not_in_ranking', 422, e, batch,
    'item_id', `« ${itemId} » ne fait pas partie du classement « ${rankingId} »`),
  previewRanking: (e: EventRef, batch: boolean, rankingId: string) => eventError('feedback.preview_ranking', 422, e, batch, 'ranking_id',
    `« ${rankingId} » est l’aperçu d’un enregistrement non enregistré ; un avis porte sur une structure et une ressource enregistrées`),
  structureNotFound: (e: EventRef, batch: boolean, field: string, id: string) => eventError('feedback.structure_not_found', 404, e, batch,
    field, `structure « ${id} » introuvable`),
  resourceNotFound: (e: EventRef, batch: boolean, field: string, id: string) => eventError('feedback.resource_not_found', 404, e, batch,
    field, `ressource « ${id} » introuvable`),
  outOfScope: (e: EventRef, batch: boolean, field: string, structureId: string) => eventError('auth.forbidden', 403, e, batch, field,
    `la structure « ${structureId} » est hors des régions de votre clé`),
};
