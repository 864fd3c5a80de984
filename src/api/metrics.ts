/**
 * Prometheus metrics of one app (its own registry, so that several apps in one process — tests —
 * do not collide): request latency per route, matches served, records imported, feedback events,
 * the ranking log (written, dropped, queued), the ranking threads, plus the process defaults. Served at GET /metrics in the text exposition format.
 */
import type { Request, RequestHandler, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EntityKind } from '../domain/types.ts';
import type { RankingLogStats } from '../feedback/ranking-log.ts';
import type { RankingThreadCounts } from '../feedback/serving.pool.ts';
import type { Store } from '../db/open.ts';
import { batchGauges } from './metrics.batch.ts';
import { arrivedAt } from './turns.ts';

export interface Metrics {
  registry: Registry;
  /** Times every request; labels it with its route pattern, never its raw path. */
  middleware: RequestHandler;
  /** A list served: counted by direction, and by the model version that ranked it (and the candidate interleaved with it). */
  matchesServed(direction: 'structure' | 'resource' | 'preview', list: { results: readonly unknown[]; modelVersion: string; interleavedWith?: string }): void;
  imported(kind: EntityKind, counts: { inserted: number; updated: number; unchanged: number; rejected: number }): void;
  /** Feedback events stored, by kind. */
  feedbackRecorded(kind: string, n?: number): void;
  /** The ranking log's figures, read at each scrape: written, dropped (buffer full), queued. */
  watchRankingLog(stats: () => RankingLogStats): void;
  /** The ranking threads' counts, read at each scrape. */
  watchRankingThreads(threads: RankingThreadCounts): void;
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
  const rankingsServed = new Counter({
    name: 'passerelles_rankings_served_total',
    help: 'Classements servis, par version du modèle qui les a classés (et candidat entrelacé, s’il y en a un).',
    labelNames: ['model_version', 'interleaved_with'] as const,
    registers: [registry],
  });
  const importedRecords = new Counter({
    name: 'passerelles_import_records_total',
    help: 'Enregistrements importés par l’API, par type et par issue (inserted, updated, unchanged, rejected).',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });

  const feedbackEvents = new Counter({
    name: 'passerelles_feedback_events_total',
    help: 'Avis enregistrés (nouveaux, hors doublons), par type.',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  let rankingLog: (() => RankingLogStats) | undefined;
  /** A counter that follows a total kept elsewhere (read at each scrape). */
  const followed = (name: string, help: string, read: (s: RankingLogStats) => number) => new Counter({
    name, help, registers: [registry],
    collect() { this.reset(); if (rankingLog) this.inc(read(rankingLog())); },
  });
  followed('passerelles_ranking_log_written_total', 'Classements servis écrits dans le journal.', (s) => s.written);
  followed('passerelles_ranking_log_dropped_total',
    'Classements servis non journalisés : mémoire tampon pleine (ou écritures impossibles à l’arrêt).', (s) => s.dropped);
  followed('passerelles_ranking_log_write_failures_total', 'Écritures du journal des classements en échec (réessayées).', (s) => s.failures);
  new Gauge({
    name: 'passerelles_ranking_log_queued', help: 'Classements servis en attente d’écriture dans le journal.', registers: [registry],
    collect() { this.set(rankingLog ? rankingLog().queued : 0); },
  });

  let threads: RankingThreadCounts | undefined;
  new Gauge({
    name: 'passerelles_ranking_threads', help: 'Fils de classement du service, par état (started : démarrés, ready : prêts et en service).',
    labelNames: ['state'] as const, registers: [registry],
    collect() {
      this.set({ state: 'started' }, threads?.size ?? 0);
      this.set({ state: 'ready' }, threads?.ready() ?? 0);
    },
  });
  new Gauge({
    name: 'passerelles_ranking_threads_waiting', help: 'Classements demandés aux fils de classement, en attente de leur réponse.', registers: [registry],
    collect() { this.set(threads?.waiting() ?? 0); },
  });
  new Counter({
    name: 'passerelles_ranking_threads_answered_total', help: 'Classements faits par les fils de classement (le reste l’est par le fil principal).', registers: [registry],
    collect() { this.reset(); if (threads) this.inc(threads.answered()); },
  });

  return {
    registry,
    middleware(req, res, next) {
      // From the request's arrival, its wait for a turn included (turns.ts), as the request log counts.
      const started = arrivedAt(req);
      res.once('finish', () => duration.observe({ method: req.method, route: routeLabel(req, res), status: String(res.statusCode) }, (Date.now() - started) / 1000));
      next();
    },
    matchesServed(direction, list) {
      matchLists.inc({ direction });
      matchResults.inc({ direction }, list.results.length);
      rankingsServed.inc({ model_version: list.modelVersion, interleaved_with: list.interleavedWith ?? '' });
    },
    imported(kind, counts) {
      for (const outcome of ['inserted', 'updated', 'unchanged', 'rejected'] as const) {
        importedRecords.inc({ kind, outcome }, counts[outcome]);
      }
    },
    feedbackRecorded(kind, n = 1) { feedbackEvents.inc({ kind }, n); },
    watchRankingLog(stats) { rankingLog = stats; },
    watchRankingThreads(counts) { threads = counts; },
    async handler(_req, res) {
      await refreshBatch();
      res.setHeader('Content-Type', registry.contentType);
      res.send(await registry.metrics());
    },
  };
}
