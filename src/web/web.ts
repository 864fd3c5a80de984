/**
 * The web pages of Passerelles, in French, rendered on the server and usable without JavaScript:
 *
 *   /static (stylesheet, small script) → form bodies → session (cookie → caller, key re-checked)
 *   → CSRF check of every POST → pages (parse, call a use case, present) → HTML 404 for browsers
 *
 * Mounted by `createApp` after the API: it never sees /api/ paths. The pages call the same use
 * cases as the API (src/records, src/matching, src/keys, src/registrations) and the ports of
 * parts built elsewhere (ports.ts).
 */
import { readFileSync } from 'node:fs';
import express, { Router, type RequestHandler } from 'express';
import { createTokenBuckets } from '../api/rate-limit.ts';
import { keyStatus } from '../keys/keys.usecases.ts';
import { createRegistrations } from '../registrations/registrations.usecases.ts';
import type { WebContext, WebDeps } from './context.ts';
import { errorPage, type View } from './layout.ts';
import { adminRoutes } from './pages/admin.ts';
import { journalRoutes } from './pages/journal.ts';
import { authRoutes } from './pages/auth.ts';
import { browseRoutes } from './pages/browse.ts';
import { homeRoutes } from './pages/home.ts';
import { recordRoutes } from './pages/record.ts';
import { registrationRoutes } from './pages/registrations.ts';
import { reportRoutes } from './pages/reports.ts';
import { tryRoutes } from './pages/try.ts';
import {
  createCsrf, createSessionStore, DEFAULT_SESSION_OPTIONS, readCookies, SESSION_COOKIE, setCookie, VISITOR_COOKIE,
  type SessionOptions,
} from './session.ts';
import { randomBytes } from 'node:crypto';

export type { WebDeps } from './context.ts';
export type { WebPorts, FeedbackPort, ReportsPort, ModelsPort } from './ports.ts';

const asset = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');

export interface WebOptions {
  sessions?: SessionOptions;
  /** Previews and registration requests per minute and per address, without a key. */
  anonymousPerMinute?: number;
}

function staticAssets(): Router {
  const files: Record<string, { type: string; body: string }> = {
    'style.css': { type: 'text/css', body: asset('style.css') },
    'app.js': { type: 'text/javascript', body: asset('app.js') },
  };
  const router = Router();
  router.get('/static/:name', (req, res, next) => {
    const file = files[req.params.name];
    if (!file) { next(); return; }
    res.type(file.type).set('Cache-Control', 'public, max-age=3600').send(file.body);
  });
  return router;
}

/** Resolves the session of the request into the page's view; re-checks that its key is still valid. */
function sessionMiddleware(ctx: WebContext): RequestHandler {
  return async (req, res, next) => {
    const cookies = readCookies(req);
    const now = ctx.now();
    let session = cookies[SESSION_COOKIE] ? ctx.sessions.touch(cookies[SESSION_COOKIE], now.getTime()) : undefined;
    if (session) {
      const key = await ctx.keys.repository.get(session.caller.keyId);
      if (!key || keyStatus(key, now) !== 'active') { ctx.sessions.destroy(session.id); session = undefined; }
    }
    if (cookies[SESSION_COOKIE] && !session) setCookie(req, res, SESSION_COOKIE, '', 0);
    let visitor = cookies[VISITOR_COOKIE];
    if (!session && !visitor) {
      visitor = randomBytes(18).toString('base64url');
      setCookie(req, res, VISITOR_COOKIE, visitor);
    }
    const binding = session ? session.id : visitor;
    const flash = session?.flash;
    if (session) delete session.flash;
    const view: View = {
      caller: session?.caller, label: session?.label, csrf: ctx.csrf.token(binding), path: req.path, flash,
    };
    res.locals.view = view;
    res.locals.session = session;
    res.locals.csrfBinding = binding;
    res.set('Cache-Control', 'no-store');
    next();
  };
}

/** Every POST carries the token of its session or visitor (multipart forms are checked by their page). */
function csrfCheck(ctx: WebContext): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'POST' || req.is('multipart/form-data')) { next(); return; }
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!ctx.csrf.valid(res.locals.csrfBinding as string, body._csrf)) {
      res.status(403).type('html').send(errorPage(res.locals.view, 'Formulaire expiré',
        'Ce formulaire a expiré ou ne vient pas de Passerelles. Rechargez la page et recommencez.').value);
      return;
    }
    next();
  };
}

export function createWebRouter(deps: WebDeps, options: WebOptions = {}): Router {
  const buckets = createTokenBuckets(options.anonymousPerMinute ?? 20);
  const ctx: WebContext = {
    ...deps,
    ports: deps.ports ?? {},
    registrations: createRegistrations({ store: deps.store, geography: deps.geography, records: deps.records, now: deps.now }),
    sessions: createSessionStore(options.sessions ?? DEFAULT_SESSION_OPTIONS),
    csrf: createCsrf(),
    allowAnonymous(req) {
      const take = buckets.take(`ip:${req.ip}`, deps.now().getTime());
      return { allowed: take.allowed, retryAfterS: take.retryAfterS };
    },
  };
  const router = Router();
  router.use((req, _res, next) => { next(/^\/(api|healthz|readyz|metrics)(\/|$)/.test(req.path) ? 'router' : undefined); });
  router.use(staticAssets());
  router.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 200 }));
  router.use(sessionMiddleware(ctx));
  router.use(csrfCheck(ctx));
  for (const routes of [authRoutes, homeRoutes, browseRoutes, recordRoutes, tryRoutes, registrationRoutes, reportRoutes, adminRoutes, journalRoutes]) {
    routes(router, ctx);
  }
  // A browser asking for an unknown page gets a page; other clients fall through to the API's JSON 404.
  router.use((req, res, next) => {
    if (req.accepts(['json', 'html']) !== 'html') { next(); return; }
    res.status(404).type('html').send(errorPage(res.locals.view, 'Page introuvable',
      'Cette page n’existe pas ou n’est pas accessible avec votre compte.').value);
  });
  return router;
}
