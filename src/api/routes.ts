/**
 * The route table: each operation is declared once — method, path, who may call it, the zod
 * schemas of its parameters, query, body and answers, and its handler. `mountRoutes` turns the
 * table into express routes that validate with those schemas; `openapi.ts` turns the same table
 * into the OpenAPI document. A schema is never written twice.
 */
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import { callerOf } from './auth/middleware.ts';
import type { Caller } from '../access/access.policy.ts';
import type { Circuit } from '../db/circuit.ts';
import { findBadText } from '../domain/characters.ts';
import { isObject, parseWith } from '../domain/validation.ts';
import { apiErrors, jsonKind, methodNotAllowed } from './errors.ts';
import { isThenable } from './thenable.ts';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** `body` is sent as JSON; `raw` as it is (a report file), with the content type given in `headers`. */
export interface Reply {
  status?: number; body?: unknown; raw?: Buffer | string; headers?: Record<string, string>;
  /** false: sent without an ETag, for an answer never repeated (a ranked list has its own ranking_id): no hash of 40–50 KB per request. */
  etag?: false;
  /** The body already written as JSON (a ranked list: matches.routes.ts), sent as `etag: false` sends a body. */
  json?: string;
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Undefined only on public routes. */
  caller: Caller;
  req: Request;
  res: Response;
}

/** `headers`: names of the answer's own headers (components.headers of the document, e.g. `Location`). */
export interface ResponseSpec { description: string; schema?: z.ZodType; contentType?: string; headers?: string[] }

export interface RouteSpec<
  P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType, T = z.output<B>,
> {
  method: Method;
  /** Express path under /api/v1, e.g. `/structures/:id`. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  /** Who may call it, in French (shown in the documentation). */
  access: string;
  /** No key needed (the documentation itself). */
  public?: boolean;
  /**
   * Served from memory (the index), without the database: runs while the database is unreachable,
   * for a key the process already knows. Other routes then answer 503 at once.
   */
  memory?: boolean;
  params?: P;
  query?: Q;
  /**
   * A JSON body validated with `schema`, or by `parse` when validation needs more than the schema
   * (the contract's field errors, the geography): `parse` must use that same schema.
   * `contentTypes` as documented (default `application/json`; every JSON body accepts both types).
   */
  body?: { schema: B; parse?: (raw: unknown) => T; description?: string; optional?: boolean; contentTypes?: string[] };
  /** A raw body of these content types (bulk import), left unread for the handler to stream. */
  rawBody?: { contentTypes: string[]; description: string };
  responses: Record<number, ResponseSpec>;
  /** Error codes this operation can answer by status, besides the common ones (auth, rate limit). */
  errors?: Record<number, string[]>;
  handle(input: RouteInput<z.output<P>, z.output<Q>, T>): Promise<Reply> | Reply;
}

/** Declares a route with its handler typed from its schemas. */
export const defineRoute = <
  P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType, T = z.output<B>,
>(spec: RouteSpec<P, Q, B, T>): RouteSpec => spec as unknown as RouteSpec;

export interface MountOptions {
  bodyLimit: string;
  /** Middlewares every non-public route runs first (auth, rate limit). */
  guard: RequestHandler[];
  /** The database's circuit breaker: told of connection errors; while open, routes not served from memory fail fast. */
  circuit?: Pick<Circuit, 'isOpen' | 'failure'>;
}

const JSON_TYPES = ['application/json', 'application/merge-patch+json'];
/** What express's `res.json` sends as Content-Type. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** A request that has a body must send it as JSON; an empty body stays undefined. */
const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (hasBody && !req.is(JSON_TYPES)) throw apiErrors.unsupportedMediaType(['application/json']);
  next();
};

/** JSON nested deeper than this is refused before any recursive code (checks, merge, storage) walks it. */
export const MAX_JSON_DEPTH = 64;

/** Whether a parsed JSON value nests deeper than `max`, found without recursion (so it cannot overflow). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

const limitDepth: RequestHandler = (req, _res, next) => {
  if (nestsDeeperThan(req.body, MAX_JSON_DEPTH)) throw apiErrors.tooDeep(MAX_JSON_DEPTH);
  next();
};

/** Every JSON body is an object: an array (the one non-object the parser lets through) is refused as such. */
const requireObject: RequestHandler = (req, _res, next) => {
  if (req.body !== undefined && !isObject(req.body)) throw apiErrors.notAnObject(jsonKind(req.body));
  next();
};

function requireType(types: string[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.is(types)) throw apiErrors.unsupportedMediaType(types);
    next();
  };
}

export function mountRoutes(router: Router, routes: RouteSpec[], options: MountOptions): void {
  const json = express.json({ limit: options.bodyLimit, type: JSON_TYPES });
  for (const route of routes) {
    const label: RequestHandler = (_req, res, next) => { res.locals.route = `/api/v1${route.path}`; next(); };
    const body: RequestHandler[] = route.rawBody
      ? [requireType(route.rawBody.contentTypes)]
      : route.body ? [requireJson, json, requireObject, limitDepth] : [];
    const handler: RequestHandler = (req, res) => {
      refuseRepeatedParams(req);
      refuseBadText(req);
      const input = {
        params: route.params ? parseWith(route.params, req.params) : req.params,
        query: route.query ? parseWith(route.query, { ...req.query }) : {},
        body: route.body ? parseBody(route, req.body) : undefined,
        caller: (route.public ? req.caller : callerOf(req)) as Caller,
        req,
        res,
      };
      const failed = (e: unknown) => {
        options.circuit?.failure(e);
        throw e;
      };
      // A reply made at once (a match, from memory) is sent in the same turn (see turns.ts).
      let reply: Reply | Promise<Reply>;
      try {
        reply = route.handle(input);
      } catch (e) {
        return failed(e);
      }
      if (isThenable(reply)) return Promise.resolve(reply).then((r) => send(res, r), failed);
      send(res, reply);
    };
    const circuit = options.circuit;
    const failFast: RequestHandler[] = circuit && !route.public && !route.memory
      ? [(_req, _res, next) => { if (circuit.isOpen()) throw apiErrors.unavailable(); next(); }]
      : [];
    router[route.method](route.path, label, ...failFast, ...(route.public ? [] : options.guard), ...body, handler);
  }
  const methods = new Map<string, string[]>();
  for (const route of routes) methods.set(route.path, [...(methods.get(route.path) ?? []), route.method.toUpperCase()]);
  for (const [path, allowed] of methods) router.all(path, methodNotAllowed(allowed));
}

/**
 * Every query parameter is one plain value: `limit=1&limit=2` (an array) or `filter[a]=1` (an
 * object) is refused with 400 naming the parameter, rather than read by a schema as « NaN ».
 */
function refuseRepeatedParams(req: Request): void {
  const repeated = Object.entries(req.query).filter(([, v]) => typeof v !== 'string').map(([name]) => name);
  if (repeated.length > 0) {
    throw apiErrors.invalidRequest(repeated.map((name) => ({ path: name, message: 'Paramètre répété ou composé : une seule valeur attendue.' })),
      `Requête invalide : paramètre ${repeated.map((n) => `« ${n} »`).join(', ')} donné plusieurs fois.`);
  }
}

/**
 * A NUL or a lone surrogate in the path, the query or the JSON body: 400 naming each field, before
 * anything reaches the store (PostgreSQL refuses NUL; a lone surrogate is not Unicode).
 */
function refuseBadText(req: Request): void {
  const bad = [...findBadText({ ...req.params }), ...findBadText({ ...(req.query as object) }), ...findBadText(req.body)];
  if (bad.length > 0) {
    throw apiErrors.invalidRequest(bad.map((b) => ({ path: b.path, message: b.reason, code: 'request.bad_text' })),
      'Requête invalide : caractère interdit (voir le détail des champs).');
  }
}

function parseBody(route: RouteSpec, raw: unknown): unknown {
  if (raw === undefined && route.body?.optional) return undefined;
  if (raw === undefined) throw apiErrors.invalidRequest([{ path: '', message: 'Corps JSON attendu.' }]);
  const spec = route.body!;
  return spec.parse ? spec.parse(raw) : parseWith(spec.schema, raw);
}

function send(res: Response, reply: Reply): void {
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  const status = reply.status ?? 200;
  if (reply.raw !== undefined) res.status(status).send(reply.raw);
  else if (reply.json !== undefined) sendJson(res, status, reply.json);
  else if (reply.body === undefined) res.status(status).end();
  else if (reply.etag === false) sendJson(res, status, JSON.stringify(reply.body));
  else res.status(status).json(reply.body);
}

/**
 * A JSON body sent as a string: Buffer.from(json) costs more than measuring it and letting the
 * socket encode it (an explained list holds non-Latin-1 characters, so its string is two bytes a
 * character and slow to encode), and its 50 KB outside the heap brought garbage collections
 * forward. Node measures it for Content-Length when `end` sends the headers with it: measured here
 * as well, it was measured twice (a pass over 40 KB of UTF-16 per explained list). A HEAD answer
 * carries no body, so Node sends no length of its own: it gets the GET's.
 */
function sendJson(res: Response, status: number, json: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', JSON_CONTENT_TYPE);
  if (res.req.method === 'HEAD') res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}

/** `/structures/:id` → `/structures/{id}` for the documentation. */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z_]+)/g, '{$1}');
