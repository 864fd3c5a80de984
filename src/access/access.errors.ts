/** Errors of the scope rules: 403 when the caller may know the record exists, 404 when it may not. */
import { PasserellesError } from '../domain/errors.ts';

export const accessErrors = {
  forbidden: (message = 'Cette clé d’API ne permet pas cette opération.') => new PasserellesError('auth.forbidden', message, 403),
};
