/**
 * The HTTP app of Passerelles. `createApp(deps)` only assembles: nothing is opened here (the
 * caller gives the store, the matching and the geography, and closes them).
 *
 *   request id + log line (request-log.ts) → security headers (helmet) → CORS → metrics
 *   → /healthz /readyz /metrics → /api/v1: documentation (public), then per route:
 *     key → rate limit → body → schemas → use case → JSON
 *   → web pages (src/web, French HTML behind a session cookie)
 *   → 404 → errors as { error: { code, message, details } }
 */
import { sql } from 'drizzle-orm';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { Router, type Express } from 'express';
import helmet from 'helmet';
import { requestLog } from './request-log.ts';
import { authMiddleware } from './auth/middleware.ts';
import { createFailureLimiter } from './auth/failures.ts';
import { createKeys, newKeySchema } from '../keys/keys.usecases.ts';
import { keyRoutes, keySchema, meSchema } from './auth/keys.routes.ts';
import type { ApiContext, ApiDeps } from './context.ts';
import { corsMiddleware } from './cors.ts';
import { createCircuit } from '../db/circuit.ts';
import { loggableError } from '../db/errors.ts';
import { redactKeysInUrl, refuseKeyInUrl } from './key-in-url.ts';
import { renderDocs } from './docs.ts';
import { errorHandler, methodNotAllowed, notFoundHandler } from './errors.ts';
import { feedbackListSchema, feedbackRecordedSchema, feedbackRoutes } from './feedback.routes.ts';
import { feedbackBodySchema } from '../feedback/feedback.schemas.ts';
import { healthRouter, probeSpecs } from './health.routes.ts';
import { matchListSchema, matchRoutes, previewBodySchema } from './matches.routes.ts';
import { modelChangeBodySchema, modelDetailsSchema, modelRoutes, modelSchema } from './models.routes.ts';
import { createModels } from '../models/models.usecases.ts';
import { readCommittedModel } from '../models/models.serving.ts';
import { createRecords } from '../records/records.usecases.ts';
import { createMetrics } from './metrics.ts';
import { buildOpenApi } from './openapi.ts';
import { requestExamples } from './openapi.examples.ts';
import { createTokenBuckets, rateLimitMiddleware } from './rate-limit.ts';
import {
  importReportSchema, resourceInputSchema, resourceListSchema, resourceOutputSchema, resourcePatchSchema,
  structureInputSchema, structureListSchema, structureOutputSchema, structurePatchSchema,
} from './records.schemas.ts';
import { resourceRoutes } from './resources.routes.ts';
import { mountRoutes, type RouteSpec } from './routes.ts';
import { structureRoutes } from './structures.routes.ts';
import { feedbackPortOf } from '../web/feedback.port.ts';
import { modelsPortOf, reportsPortOf } from '../web/ports.adapters.ts';
import { createWebRouter } from '../web/web.ts';
import { reportListSchema, reportRoutes } from './reports.routes.ts';
import { createReports } from '../batch/batch.reports.ts';
import { auditListSchema, auditRoutes } from './audit.routes.ts';
import { createAudit } from '../audit/audit.usecases.ts';

export type { ApiDeps } from './context.ts';

export const API_VERSION = '1.0.0';

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** The request log (request-log.ts): who called, and for a ranking the model version that ranked it (and the candidate interleaved). */
function requestLogger(ctx: ApiContext) {
  return requestLog({
    logger: ctx.logger,
    props: (req, res) => {
      const locals = res.locals ?? {};
      return {
        ...(locals.modelVersion ? { modelVersion: locals.modelVersion } : {}),
        ...(locals.interleavedWith ? { interleavedWith: locals.interleavedWith } : {}),
      };
    },
    // A key sent in the address (refused, see key-in-url.ts) is not written either.
    url: redactKeysInUrl,
    level: (req, res) => {
      if (res.statusCode === 503) return 'warn'; // the database unreachable: said once by the circuit
      if (res.statusCode >= 500) return 'error';
      return QUIET_PATHS.has(req.originalUrl.split('?')[0]) ? 'debug' : 'info';
    },
  });
}

/**
 * Helmet's headers, computed once: helmet is run on a recording response at start and the
 * headers it set are then written per request in one loop (same names and values, no per-request
 * chain of a dozen middlewares). No upgrade-insecure-requests: the service may be reached over
 * plain HTTP inside a network.
 */
function securityHeaders(): express.RequestHandler {
  const recorded: [string, string | string[] | number][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string | string[] | number) => { recorded.push([name, value]); },
    removeHeader: (name: string) => { removed.push(name); },
  };
  helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } })(
    { headers: {} } as unknown as IncomingMessage, recorder as unknown as ServerResponse, () => {});
  return (_req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of recorded) res.setHeader(name, value);
    next();
  };
}

export function apiRoutes(ctx: ApiContext): RouteSpec[] {
  return [...structureRoutes(ctx), ...resourceRoutes(ctx), ...matchRoutes(ctx), ...feedbackRoutes(ctx), ...keyRoutes(ctx), ...modelRoutes(ctx), ...reportRoutes(ctx), ...auditRoutes(ctx)];
}

/** The OpenAPI document of these routes, from the schemas that validate them. */
export function openApiDocument(routes: RouteSpec[]) {
  return buildOpenApi(routes, {
    requests: {
      StructureInput: structureInputSchema, StructurePatch: structurePatchSchema,
      ResourceInput: resourceInputSchema, ResourcePatch: resourcePatchSchema,
      PreviewBody: previewBodySchema, NewApiKey: newKeySchema, FeedbackBody: feedbackBodySchema, ModelChange: modelChangeBodySchema,
    },
    responses: {
      Structure: structureOutputSchema, StructureList: structureListSchema,
      Resource: resourceOutputSchema, ResourceList: resourceListSchema,
      MatchList: matchListSchema, ReportList: reportListSchema, ImportReport: importReportSchema, ApiKey: keySchema, Me: meSchema,
      FeedbackRecorded: feedbackRecordedSchema, FeedbackList: feedbackListSchema,
      Model: modelSchema, ModelDetails: modelDetailsSchema, AuditList: auditListSchema,
    },
    examples: requestExamples,
  }, { version: API_VERSION, probes: probeSpecs });
}

export function createApp(deps: ApiDeps): Express {
  const circuit = deps.circuit ?? createCircuit({
    probe: () => deps.store.rows(sql`select 1`),
    onChange: (open, cause) => (open
      ? deps.logger.warn({ err: loggableError(cause) }, 'database unreachable: answering 503 except from memory, probing every second')
      : deps.logger.info('database reachable again')),
  });
  const ctx: ApiContext = {
    config: deps.config, logger: deps.logger, store: deps.store, matching: deps.matching, geography: deps.geography,
    feedback: deps.feedback,
    serving: deps.pool ? deps.feedback.pooledServingFor(deps.matching, deps.pool) : deps.feedback.servingFor(deps.matching),
    now: deps.clock ?? (() => new Date()),
    records: createRecords({
      store: deps.store, geography: deps.geography, index: deps.matching.index, stamps: deps.matching.stamps, sync: deps.indexSync, logger: deps.logger,
    }),
    keys: createKeys({ store: deps.store, geography: deps.geography, now: deps.clock, circuit }),
    models: createModels({ store: deps.store, now: deps.clock, readModelFile: readCommittedModel }),
    metrics: createMetrics({ store: deps.store }),
    reports: createReports({ store: deps.store, geography: deps.geography, reportsDir: deps.config.reportsDir }),
    audit: createAudit({ store: deps.store }),
  };
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLogger(ctx));
  app.use(securityHeaders());
  app.use(corsMiddleware(ctx.config.corsOrigins));
  ctx.metrics.watchRankingLog(() => deps.feedback.log.stats());
  if (deps.pool) ctx.metrics.watchRankingThreads(deps.pool);
  app.use(ctx.metrics.middleware);
  app.use(healthRouter(ctx));
  app.get('/metrics', ctx.metrics.handler);

  const routes = apiRoutes(ctx);
  let document: ReturnType<typeof openApiDocument> | undefined;
  let page: string | undefined;
  const api = Router();
  api.get('/openapi.json', (_req, res) => { res.json(document ??= openApiDocument(routes)); });
  api.get('/docs', (_req, res) => { res.type('html').send(page ??= renderDocs(document ??= openApiDocument(routes))); });
  for (const path of ['/openapi.json', '/docs']) api.all(path, methodNotAllowed(['GET']));
  mountRoutes(api, routes, {
    bodyLimit: ctx.config.bodyLimit,
    circuit,
    guard: [
      refuseKeyInUrl,
      authMiddleware(ctx.keys, createFailureLimiter(ctx.config.authFailuresPerMinute), () => ctx.now().getTime()),
      rateLimitMiddleware(createTokenBuckets(ctx.config.rateLimitPerMinute), () => ctx.now().getTime()),
    ],
  });
  app.use('/api/v1', api);
  // The French web pages (src/web): the same use cases, behind a session cookie instead of a key.
  // The pages rank in this thread: a page is one request among many HTML ones, not the API's load.
  const feedbackPort = feedbackPortOf({ feedback: deps.feedback.feedback, serving: deps.feedback.servingFor(deps.matching) });
  app.use(createWebRouter({ ...ctx, importLimit: ctx.config.importLimit, ports: { feedback: feedbackPort, reports: reportsPortOf(ctx.reports), models: modelsPortOf(ctx.models), ...deps.web } }));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
