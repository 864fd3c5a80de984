/** Errors of matching requests. */
import { notFound } from '../domain/errors.ts';

export const matchingErrors = {
  structureNotFound: (id: string) => notFound('matches.structure_not_found', `Structure « ${id} » introuvable.`),
  resourceNotFound: (id: string) => notFound('matches.resource_not_found', `Ressource « ${id} » introuvable.`),
};
