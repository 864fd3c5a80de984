/**
 * Errors of the HTTP API: factories for the codes the API itself raises, the 404 fallback and the
 * one middleware that turns anything thrown into `{ error: { code, message, details } }`.
 * Stack traces are logged with the request id, never sent: an unexpected error answers 500 with a
 * French message that quotes the request id, so support can find the log line.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isPasserellesError, PasserellesError } from '../domain/errors.ts';
import { invalidRequest } from '../domain/validation.ts';
import { isUnavailable, loggableError } from '../db/errors.ts';

/** Seconds a client is asked to wait when the database is unreachable. */
export const RETRY_AFTER_S = 5;


export const apiErrors = {
  missingKey: () => new PasserellesError('auth.missing_key',
    'Clé d’API manquante : envoyez l’en-tête « Authorization: Bearer psk_… ».', 401),
  invalidKey: () => new PasserellesError('auth.invalid_key',
    'Clé d’API invalide, révoquée ou expirée.', 401),
  forbidden: (message = 'Cette clé d’API ne permet pas cette opération.') =>
    new PasserellesError('auth.forbidden', message, 403),
  invalidRequest,
  invalidJson: () => new PasserellesError('request.invalid_json', 'Le corps de la requête n’est pas un JSON valide.', 400),
  tooDeep: (max: number) => new PasserellesError('request.too_deep',
    `Corps JSON trop imbriqué : au plus ${max} niveaux de tableaux et d’objets.`, 400, { max_depth: max }),
  notAnObject: (received: string) => new PasserellesError('request.not_an_object',
    `Le corps de la requête est du JSON valide, mais pas un objet { … } (reçu : ${received}).`, 400, { received }),
  tooLarge: (limitBytes?: number) => new PasserellesError('request.too_large',
    `Corps de requête trop volumineux${limitBytes ? ` (limite : ${formatSize(limitBytes)})` : ''}.`, 413,
    limitBytes ? { limit_bytes: limitBytes } : undefined),
  unsupportedMediaType: (expected: string[]) => new PasserellesError('request.unsupported_media_type',
    `Type de contenu non pris en charge ; attendu : ${expected.join(', ')}.`, 415, { expected }),
  rateLimited: (retryAfterS: number) => new PasserellesError('rate_limited',
    `Trop de requêtes pour cette clé : réessayez dans ${retryAfterS} s.`, 429, { retry_after_s: retryAfterS }),
  tooManyFailures: (retryAfterS: number) => new PasserellesError('auth.too_many_failures',
    `Trop de clés d’API refusées depuis cette adresse : réessayez dans ${retryAfterS} s.`, 429, { retry_after_s: retryAfterS }),
  routeNotFound: (method: string, path: string) => new PasserellesError('route.not_found',
    `Aucune opération ${method} ${path}. La liste des opérations est sur /api/v1/docs.`, 404),
  methodNotAllowed: (method: string, path: string, allowed: string[]) => new PasserellesError('route.method_not_allowed',
    `Méthode ${method} non permise sur ${path} ; permises : ${allowed.join(', ')}.`, 405, { allowed }),
  unavailable: () => new PasserellesError('service.unavailable',
    `Service momentanément indisponible (base de données injoignable) : réessayez dans ${RETRY_AFTER_S} s.`, 503,
    { retry_after_s: RETRY_AFTER_S }),
  conflict: (code: string, message: string) => new PasserellesError(code, message, 409),
};

/** A size as the messages give it, in one unit family: « 1 Mo », « 512 Ko », « 300 octets ». */
export function formatSize(bytes: number): string {
  const format = (n: number) => n.toLocaleString('fr-FR', { maximumFractionDigits: 1 });
  if (bytes >= 1024 * 1024) return `${format(bytes / (1024 * 1024))} Mo`;
  if (bytes >= 1024) return `${format(bytes / 1024)} Ko`;
  return `${bytes} octets`;
}

/** What a JSON value is, in French, for a body that is not an object. */
export function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'un tableau';
  return { string: 'une chaîne', number: 'un nombre', boolean: 'un booléen' }[typeof value as string] ?? typeof value;
}

/** Body-parser's strict mode refuses JSON that is not an object or an array: say so when the text is valid JSON. */
function notAnObject(text: unknown): PasserellesError | undefined {
  if (typeof text !== 'string') return undefined;
  try { return apiErrors.notAnObject(jsonKind(JSON.parse(text))); } catch { return undefined; }
}

/**
 * Mounted after the routes of a path: a method that path does not have answers 405 with `Allow`
 * (OPTIONS is left to CORS and express). `methods` in upper case; HEAD comes with GET.
 */
export function methodNotAllowed(methods: string[]): RequestHandler {
  const allowed = [...new Set(methods.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])))];
  return (req, res, next) => {
    if (req.method === 'OPTIONS') { next(); return; }
    res.setHeader('Allow', allowed.join(', '));
    next(apiErrors.methodNotAllowed(req.method, req.originalUrl.split('?')[0], allowed));
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(apiErrors.routeNotFound(req.method, req.path));
};

/** Body-parser errors carry a `type`; map the ones a client can cause to our codes. */
function fromBodyParser(e: { type?: string; limit?: number; status?: number; body?: unknown }): PasserellesError | undefined {
  switch (e.type) {
    case 'entity.too.large': return apiErrors.tooLarge(e.limit);
    case 'entity.parse.failed': return notAnObject(e.body) ?? apiErrors.invalidJson();
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new PasserellesError('request.unsupported_encoding', 'Encodage du corps non pris en charge (UTF-8 attendu).', 415);
    case 'request.aborted':
      return new PasserellesError('request.aborted', 'Requête interrompue par le client.', 400);
    default:
      return e.status && e.status >= 400 && e.status < 500
        ? new PasserellesError('request.invalid', 'Requête illisible (adresse ou corps mal encodé).', e.status)
        : undefined;
  }
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const known = isPasserellesError(err) ? err : fromBodyParser(err ?? {});
  const requestId = String(req.id ?? '');
  // A body left unread (refused before or while reading it) must not be taken for the next request.
  if (!req.complete) res.setHeader('Connection', 'close');
  const retryAfterS = (known?.details as { retry_after_s?: number } | undefined)?.retry_after_s;
  if (retryAfterS && (known?.status === 429 || known?.status === 503)) res.setHeader('Retry-After', String(retryAfterS));
  if (known && (known.status < 500 || known.code === 'service.unavailable')) {
    req.log?.info({ code: known.code, status: known.status }, 'request refused');
    sendError(res, known);
    return;
  }
  if (!known && isUnavailable(err)) {
    // Database errors are logged without their SQL parameters (records, key hashes).
    (req.log ?? console).warn({ err: loggableError(err) }, 'database unreachable');
    res.setHeader('Retry-After', String(RETRY_AFTER_S));
    sendError(res, apiErrors.unavailable());
    return;
  }
  (req.log ?? console).error({ err: loggableError(err) }, 'request failed');
  const status = known?.status ?? 500;
  if (status === 503) res.setHeader('Retry-After', String(RETRY_AFTER_S));
  const message = status === 503
    ? `Service momentanément indisponible (référence ${requestId}).`
    : `Erreur interne du service (référence ${requestId}).`;
  sendError(res, new PasserellesError(known?.code ?? 'internal', message, status));
};

function sendError(res: Parameters<ErrorRequestHandler>[2], e: PasserellesError): void {
  if (res.headersSent) { res.end(); return; }
  const body: { code: string; message: string; details?: unknown } = { code: e.code, message: e.message };
  if (e.details !== undefined) body.details = e.details;
  res.status(e.status).json({ error: body });
}
