/**
 * Prometheus metrics of one app (its own registry, so that several apps in one process — tests —
 * do not collide): request latency per route, matches served, records imported, plus the process
 * defaults. Served at GET /metrics in the text exposition format.
 */
import type { Request, RequestHandler, Response } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { EntityKind } from '../domain/types.ts';
import type { Store } from '../db/open.ts';
import { batchGauges } from './metrics.batch.ts';

export interface Metrics {
  registry: Registry;
  /** Times every request; labels it with its route pattern, never its raw path. */
  middleware: RequestHandler;
  matchesServed(direction: 'structure' | 'resource' | 'preview', results: number): void;
  imported(kind: EntityKind, counts: { inserted: number; updated: number; unchanged: number; rejected: number }): void;
  handler: RequestHandler;
}

/**
 * `/api/v1/structures/:id` for a matched route (set in `res.locals.route` by the route table, which
 * survives an error unwinding the routers); `unmatched` otherwise: never a label per raw path.
 */
function routeLabel(req: Request, res: Response): string {
  if (typeof res.locals.route === 'string') return res.locals.route;
  const pattern = req.route?.path;
  return typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : 'unmatched';
}

/** `store`: where the last nightly run's summary is read at each scrape (absent: not exported). */
export function createMetrics(sources: { store?: Store } = {}): Metrics {
  const registry = new Registry();
  const refreshBatch = sources.store ? batchGauges(registry, sources.store) : async () => {};
  collectDefaultMetrics({ register: registry, prefix: 'passerelles_' });
  const duration = new Histogram({
    name: 'passerelles_http_request_duration_seconds',
    help: 'Durée des requêtes HTTP par route, méthode et statut.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const matchLists = new Counter({
    name: 'passerelles_match_lists_served_total',
    help: 'Listes de correspondances servies, par sens (structure, resource, preview).',
    labelNames: ['direction'] as const,
    registers: [registry],
  });
  const matchResults = new Counter({
    name: 'passerelles_match_results_served_total',
    help: 'Correspondances servies (éléments des listes), par sens.',
    labelNames: ['direction'] as const,
    registers: [registry],
  });
  const importedRecords = new Counter({
    name: 'passerelles_import_records_total',
    help: 'Enregistrements importés par l’API, par type et par issue (inserted, updated, unchanged, rejected).',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });

  return {
    registry,
    middleware(req, res, next) {
      const end = duration.startTimer();
      res.once('finish', () => end({ method: req.method, route: routeLabel(req, res), status: String(res.statusCode) }));
      next();
    },
    matchesServed(direction, results) {
      matchLists.inc({ direction });
      matchResults.inc({ direction }, results);
    },
    imported(kind, counts) {
      for (const outcome of ['inserted', 'updated', 'unchanged', 'rejected'] as const) {
        importedRecords.inc({ kind, outcome }, counts[outcome]);
      }
    },
    async handler(_req, res) {
      await refreshBatch();
      res.setHeader('Content-Type', registry.contentType);
      res.send(await registry.metrics());
    },
  };
}
