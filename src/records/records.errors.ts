/** Errors of the records use cases, by kind (`structures.not_found`, `resources.archived`…). */
import { PasserellesError } from '../domain/errors.ts';
import { invalidRequest } from '../domain/validation.ts';
import type { EntityKind } from '../domain/types.ts';

export const PLURAL: Record<EntityKind, 'structures' | 'resources'> = { structure: 'structures', resource: 'resources' };
export const LABEL: Record<EntityKind, string> = { structure: 'Structure', resource: 'Ressource' };

export const recordErrors = {
  notFound: (kind: EntityKind, id: string) =>
    new PasserellesError(`${PLURAL[kind]}.not_found`, `${LABEL[kind]} « ${id} » introuvable.`, 404),
  outOfScope: (kind: EntityKind) =>
    new PasserellesError('auth.forbidden', `${LABEL[kind]} hors du périmètre de votre clé.`, 403),
  structureKeyCannotCreate: () =>
    new PasserellesError('auth.forbidden', 'Une clé de structure ne crée pas d’enregistrement.', 403),
  importNotAllowed: () =>
    new PasserellesError('auth.forbidden', 'Seul un administrateur importe des fichiers.', 403),
  alreadyExists: (kind: EntityKind, id: string) =>
    new PasserellesError(`${PLURAL[kind]}.already_exists`, `${LABEL[kind]} « ${id} » déjà existante : modifiez-la par PUT ou PATCH.`, 409),
  archived: (kind: EntityKind, id: string) =>
    new PasserellesError(`${PLURAL[kind]}.archived`,
      `${LABEL[kind]} « ${id} » archivée : envoyez l’enregistrement complet par PUT pour la rétablir.`, 409),
  idMismatch: (bodyId: string, id: string) =>
    invalidRequest([{ path: 'id', message: `l’id du corps (« ${bodyId} ») ne correspond pas à celui de l’adresse (« ${id} »)` }]),
  notAnObject: () => invalidRequest([{ path: '', message: 'un objet JSON {…} est attendu' }]),
};
