/**
 * Resolves the caller of every /api/v1 request from its key (`Authorization: Bearer psk_…`, or
 * `X-API-Key: psk_…`): 401 `auth.missing_key` without one, 401 `auth.invalid_key` for a
 * malformed, unknown, revoked or expired one; 429 `auth.too_many_failures` for an address that
 * sent too many refused keys. The key never reaches a log line: only its id does.
 */
import type { NextFunction, Request, RequestHandler } from 'express';
import { apiErrors } from '../errors.ts';
import { isThenable } from '../thenable.ts';
import type { FailureLimiter } from './failures.ts';
import type { Keys } from '../../keys/keys.usecases.ts';
import type { Caller } from '../../access/access.policy.ts';

declare global {
  namespace Express {
    interface Request {
      /** Set by the auth middleware on every /api/v1 route. */
      caller?: Caller;
    }
  }
}

function presentedKey(req: Request): string | undefined {
  const header = req.get('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? match[1] : header.trim();
  }
  return req.get('x-api-key')?.trim() || undefined;
}

/**
 * `failures` limits refused keys per client address (see failures.ts): an address over the limit
 * is answered 429 before its key is even looked at.
 */
export function authMiddleware(keys: Pick<Keys, 'authenticate'>, failures?: FailureLimiter, nowMs: () => number = Date.now): RequestHandler {
  const admit = (req: Request, caller: Caller | undefined, address: string, next: NextFunction) => {
    if (!caller) {
      failures?.fail(address, nowMs());
      throw apiErrors.invalidKey();
    }
    req.caller = caller;
    req.log?.setBindings?.({ keyId: caller.keyId, role: caller.role });
    next();
  };
  // A key in the cache is checked at once: the request goes on in the same turn (see ../turns.ts).
  return (req, _res, next) => {
    const address = req.socket.remoteAddress ?? req.ip ?? 'inconnue';
    const wait = failures?.retryAfterS(address, nowMs()) ?? 0;
    if (wait > 0) throw apiErrors.tooManyFailures(wait);
    const key = presentedKey(req);
    if (!key) throw apiErrors.missingKey();
    const caller = keys.authenticate(key);
    if (isThenable(caller)) return Promise.resolve(caller).then((c) => admit(req, c, address, next));
    admit(req, caller, address, next);
  };
}

/** The caller of a request behind the auth middleware. */
export function callerOf(req: Request): Caller {
  if (!req.caller) throw new Error('callerOf: route mounted without the auth middleware');
  return req.caller;
}
