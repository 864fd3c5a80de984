/** Errors of API key management. */
import { PasserellesError } from '../domain/errors.ts';
import type { FieldIssue } from '../domain/validation.ts';

export const keyErrors = {
  invalid: (issues: FieldIssue[]) => new PasserellesError('keys.invalid', 'Demande de clé invalide : voir le détail des champs.', 400, issues),
  notFound: (id: string) => new PasserellesError('keys.not_found', `Clé « ${id} » introuvable.`, 404),
  adminOnly: () => new PasserellesError('auth.forbidden', 'Seul un administrateur gère les clés.', 403),
};
