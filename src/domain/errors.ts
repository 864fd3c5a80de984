/**
 * Errors of Passerelles: a dotted code, a French message for the user, an HTTP status and
 * optional details. Every layer throws these; the CLI prints them, the API serialises them.
 */
export class PasserellesError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details?: unknown;

  constructor(code: string, message: string, status = 400, details?: unknown) {
    super(message);
    this.name = 'PasserellesError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

export const isPasserellesError = (e: unknown): e is PasserellesError => e instanceof PasserellesError;

export const notFound = (code: string, message: string, details?: unknown) =>
  new PasserellesError(code, message, 404, details);

export const invalid = (code: string, message: string, details?: unknown) =>
  new PasserellesError(code, message, 400, details);
