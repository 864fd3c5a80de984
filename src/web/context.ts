/**
 * What the pages share: the use cases (records, matching, keys, registrations), the ports of
 * parts built elsewhere, the sessions and CSRF tokens, and the helpers that turn a handler into
 * an express route (sign-in required or not, errors as French pages).
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Caller, Role } from '../access/access.policy.ts';
import type { Logger } from '../config/logger.ts';
import type { Store } from '../db/open.ts';
import { isPasserellesError, PasserellesError } from '../domain/errors.ts';
import type { Geography } from '../geo/geography.ts';
import type { Audit } from '../audit/audit.usecases.ts';
import type { Keys } from '../keys/keys.usecases.ts';
import type { Matching } from '../matching/matching.usecases.ts';
import type { Records } from '../records/records.usecases.ts';
import type { Registrations } from '../registrations/registrations.usecases.ts';
import { Html } from './html.ts';
import { errorPage, type View } from './layout.ts';
import type { WebPorts } from './ports.ts';
import type { Csrf, SessionStore, WebSession } from './session.ts';

export interface WebDeps {
  logger: Logger;
  store: Store;
  matching: Matching;
  geography: Geography;
  records: Records;
  keys: Keys;
  /** The audit trail (admins read it at /admin/journal). */
  audit: Audit;
  now: () => Date;
  /** Largest file an admin may import from the page (e.g. 50mb). */
  importLimit: string;
  /** Parts built elsewhere: feedback, reports, models (each optional). */
  ports?: WebPorts;
}

export interface WebContext extends WebDeps {
  ports: WebPorts;
  registrations: Registrations;
  sessions: SessionStore;
  csrf: Csrf;
  /** Whether an anonymous address may ask for one more preview or registration. */
  allowAnonymous(req: Request): { allowed: boolean; retryAfterS: number };
}

declare global {
  namespace Express {
    interface Locals {
      view: View;
      session?: WebSession;
    }
  }
}

export type PageResult = Html | { redirect: string } | { status: number; page: Html } | void;
export type Handler = (req: Request, res: Response, view: View) => Promise<PageResult> | PageResult;

/** A local path to come back to (never another site). */
export function safeBack(value: unknown, fallback = '/'): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) ? value : fallback;
}

function send(res: Response, result: PageResult): void {
  if (!result || res.headersSent) return;
  if (result instanceof Html) { res.type('html').send(result.value); return; }
  if ('redirect' in result) { res.redirect(303, result.redirect); return; }
  res.status(result.status).type('html').send(result.page.value);
}

/** Errors as pages: out of scope or absent → 404 (like the API, nothing is revealed). */
export function renderError(req: Request, res: Response, e: unknown): void {
  const view = res.locals.view;
  if (isPasserellesError(e) && (e.status === 404 || e.status === 403)) {
    res.status(404).type('html').send(errorPage(view, 'Page introuvable',
      'Cette page n’existe pas ou n’est pas accessible avec votre compte.').value);
    return;
  }
  if (isPasserellesError(e) && e.status === 429) {
    res.status(429).type('html').send(errorPage(view, 'Trop de demandes', e.message).value);
    return;
  }
  if (isPasserellesError(e) && e.status < 500) {
    res.status(e.status).type('html').send(errorPage(view, 'Demande refusée', e.message).value);
    return;
  }
  (req.log ?? console).error({ err: e }, 'page failed');
  res.status(500).type('html').send(errorPage(view, 'Erreur du service',
    `Une erreur est survenue. Si elle se répète, donnez cette référence à l’équipe : ${String(req.id ?? '')}.`).value);
}

/** A page anyone may open. */
export const publicPage = (handler: Handler): RequestHandler => async (req, res) => {
  try { send(res, await handler(req, res, res.locals.view)); } catch (e) { renderError(req, res, e); }
};

/** A page for a signed-in caller (of one of `roles` if given; others get 404). */
export function signedIn(handler: (req: Request, res: Response, view: View & { caller: Caller }) => Promise<PageResult> | PageResult, roles?: Role[]): RequestHandler {
  return async (req, res) => {
    const view = res.locals.view;
    if (!view.caller) {
      if (req.method === 'GET') { res.redirect(303, `/connexion?suite=${encodeURIComponent(req.originalUrl)}`); return; }
      res.status(401).type('html').send(errorPage(view, 'Session terminée', 'Votre session a expiré : reconnectez-vous.').value);
      return;
    }
    if (roles && !roles.includes(view.caller.role)) { renderError(req, res, new PasserellesError('web.not_found', 'Page introuvable.', 404)); return; }
    try { send(res, await handler(req, res, view as View & { caller: Caller })); } catch (e) { renderError(req, res, e); }
  };
}
