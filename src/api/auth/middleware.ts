/**
 * Resolves the caller of every /api/v1 request from its key (`Authorization: Bearer psk_…`, or
 * `X-API-Key: psk_…`): 401 `auth.missing_key` without one, 401 `auth.invalid_key` for a
 * malformed, unknown, revoked or expired one. The key never reaches a log line: only its id does.
 */
import type { Request, RequestHandler } from 'express';
import { apiErrors } from '../errors.ts';
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

export function authMiddleware(keys: Pick<Keys, 'authenticate'>): RequestHandler {
  return async (req, _res, next) => {
    const key = presentedKey(req);
    if (!key) throw apiErrors.missingKey();
    const caller = await keys.authenticate(key);
    if (!caller) throw apiErrors.invalidKey();
    req.caller = caller;
    req.log?.setBindings?.({ keyId: caller.keyId, role: caller.role });
    next();
  };
}

/** The caller of a request behind the auth middleware. */
export function callerOf(req: Request): Caller {
  if (!req.caller) throw new Error('callerOf: route mounted without the auth middleware');
  return req.caller;
}
