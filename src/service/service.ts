/**
 * The long-running service: what `passerelles serve` (and `npm start`) runs. It binds its port
 * FIRST (a port in use is said at once, in French), answering /healthz 200 and /readyz 503 with the
 * loading stage; then opens the store (embedded PGlite without DATABASE_URL), loads the demo data
 * on first start when the database is empty, shares the embedded database with the commands run
 * beside it, registers the committed model at cold start, loads the index (from its snapshot when
 * one matches, caught up; else built, then saved as the next snapshot once the service is ready),
 * follows the current model, starts the ranking log and the feedback effects, and serves the HTTP
 * API and the web pages until SIGTERM or SIGINT; then stops gracefully (requests in flight finish,
 * the ranking log is written, a snapshot being saved finishes, the store is closed). Its heap
 * grows by a fixed factor of what is alive (heap.ts). It composes
 * the edges and the use cases; the command line only starts it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeStart, loadingHandler, START_LABELS, type StartState } from '../api/loading.ts';
import { startServer } from '../api/server.ts';
import { requestClasses } from '../api/request-classes.ts';
import type { Config } from '../config/config.ts';
import type { Logger } from '../config/logger.ts';
import type { Store } from '../db/open.ts';
import { isPasserellesError } from '../domain/errors.ts';
import type { LoadProgress } from '../matching/matching.stages.ts';
import { boundHeapGrowth } from './heap.ts';

export interface ServiceDeps {
  config: Config;
  logger: Logger;
  /** Where the « ready » line is written (the terminal). */
  stdout: NodeJS.WritableStream;
}

/** Everything else is loaded once the port is bound (the engine's code takes seconds to load). */
const loadModules = async () => ({
  ...await import('../api/app.ts'),
  ...await import('../audit/audit.repository.ts'),
  ...await import('../db/open.ts'),
  ...await import('../feedback/feedback.loop.ts'),
  ...await import('../feedback/serving.pool.ts'),
  ...await import('../geo/geography.ts'),
  ...await import('../matching/matching.follow.ts'),
  ...await import('../matching/matching.snapshot.ts'),
  ...await import('../matching/matching.sync.ts'),
  ...await import('../matching/matching.usecases.ts'),
  ...await import('../models/models.serving.ts'),
  ...await import('../records/records.repository.ts'),
  ...await import('./background.ts'),
  ...await import('../batch/batch.models.ts'),
  ...await import('../models/models.train.ts'),
  ...await import('../../seed/demo.ts'),
});

/** Logs the loading progress: each new stage, and within a stage at most every 2 seconds. */
function progressLogger(state: StartState, log: (fields: object, message: string) => void) {
  let lastStage: string | undefined;
  let lastAt = 0;
  return (p: Omit<LoadProgress, 'stage'> & { stage: StartState['stage'] }) => {
    Object.assign(state, { stage: p.stage, records: p.records, total: p.total });
    const now = performance.now();
    if (p.stage === lastStage && now - lastAt < 2000) return;
    lastStage = p.stage;
    lastAt = now;
    log(describeStart(state), START_LABELS[p.stage]);
  };
}

/** How long the service waits for a command that holds the embedded database (an import started first). */
const LOCK_WAIT_MS = 10 * 60_000;

/** Opens the store, waiting while a command run just before holds the embedded database's lock. */
async function openWhenFree(open: () => Promise<Store>, logger: Logger): Promise<Store> {
  const until = Date.now() + LOCK_WAIT_MS;
  let told = false;
  for (;;) {
    try {
      return await open();
    } catch (e) {
      if (!isPasserellesError(e) || e.code !== 'db.locked' || Date.now() > until) throw e;
      if (!told) logger.info({ reason: e.message }, 'base embarquée occupée par une commande : le service attend qu’elle se termine');
      told = true;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Runs the service until SIGTERM or SIGINT. */
export async function runService({ config, logger, stdout: out }: ServiceDeps): Promise<void> {
  boundHeapGrowth();
  const started = performance.now();
  const state: StartState = { stage: 'opening_database', startedAt: started };
  let handle: (req: IncomingMessage, res: ServerResponse) => void = loadingHandler(state);
  // The app is made once loaded: it adopts the classes the server makes its requests with (see request-classes.ts).
  const classes = requestClasses();
  const server = await startServer({
    requestClasses: classes, app: (req, res) => handle(req, res), port: config.port, host: config.host, logger, shutdownTimeoutMs: config.shutdownTimeoutMs,
  });
  out.write(`Passerelles démarre sur ${server.url} : chargement en cours (suivre : ${server.url}/readyz)\n`);
  let ready = false;
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      if (ready) return resolve(signal);
      logger.info({ signal, stage: state.stage }, 'arrêt demandé pendant le chargement');
      process.exit(0); // nothing is served yet; the lock of an embedded database is released on exit
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  let store: Store | undefined;
  let saving: Promise<unknown> = Promise.resolve();
  let stopping: (() => Promise<void>) | undefined;
  try {
    const progress = progressLogger(state, (fields, message) => logger.info(fields, message));
    progress({ stage: 'opening_database' });
    const m = await loadModules();
    const shared = m.followWrites(logger);
    store = await openWhenFree(() => m.openStore({
      databaseUrl: config.databaseUrl, dataDir: config.dataDir, share: true, thread: config.embeddedThread,
      // nothing can be read or written any more: stop, so that a supervisor starts the service again
      onThreadStopped: (err) => {
        logger.fatal({ err }, 'base embarquée : son fil d’exécution s’est arrêté, le service s’arrête');
        process.exit(1);
      },
    }), logger);
    const geography = m.loadGeography();
    if (config.demoData && !(await m.createRecordsRepository(store).hasAny())) {
      progress({ stage: 'loading_demo_data' });
      const demo = await m.seedDemo({ store, geography, logger, actor: m.STARTUP_ACTOR });
      logger.info({ structures: demo.generated.structures.inserted, resources: demo.generated.resources.inserted }, 'données de démonstration chargées');
    }
    // the other commands wait until the demo data is in, then reach the database through this process
    await store.share?.({ onWrite: shared.onWrite, onError: (err) => logger.warn({ err }, 'accès local à la base embarquée : connexion interrompue') });
    const { models, files } = await m.servedFiles(store);
    const snapshots = config.indexSnapshot ? m.snapshotStorageFor(store, config.dataDir) : undefined;
    const loaded = await m.loadIndex(store, files, {
      snapshots,
      onProgress: progress,
      onSnapshotRejected: (reason) => logger.warn({ where: snapshots?.where, reason }, 'instantané de l’index écarté : reconstruction complète'),
    });
    // The records' update dates of an index loaded from its snapshot, before the first request:
    // read after it, 250 pages of rows parsed on this thread held the first seconds' requests (at
    // national scale on a server, explained matches' p95 12 ms instead of 5 while they were read).
    if (loaded.fill) {
      progress({ stage: 'catching_up' });
      await loaded.fill().catch((e: unknown) => logger.warn({ err: e }, 'dates de mise à jour non chargées : les lectures passent par la base'));
    }
    const matching = m.createMatching({ index: loaded.index, stamps: loaded.stamps, model: files.model });
    shared.attach(store, matching.index);
    const watch = m.watchModels({
      models, matching, logger, intervalMs: config.modelPollSeconds * 1000, interleavingShare: config.interleavingShare,
    });
    await watch.check();
    const feedback = await m.openFeedbackLoop({ store, matching, config, logger, source: 'api' });
    logger.info({ purged: feedback.purged, ...feedback.effects.stats() }, 'journal des classements et effets des avis prêts');
    feedback.start();
    // other instances' changes (LISTEN/NOTIFY on a server), the nightly batch
    // the nightly run retrains first when new feedback arrived (a promoted model is then the run's, and the watch's)
    const trainIfNewFeedback = m.nightlyRetraining({ store, models, settings: m.trainingSettings(config) });
    const stopBackground = await m.startServeBackground({ config, logger, store, matching, geography, trainIfNewFeedback, since: loaded.since,
      stamps: loaded.from === 'build' ? loaded.stamps : undefined });
    // Ranking threads beside this one, each with a replica of the index (serving.pool.ts); until they are loaded, this thread ranks.
    const { structures, resources } = matching.stats();
    const threads = m.rankingThreadCount(config.matchThreads, structures + resources);
    const pool = threads > 0 ? m.startRankingPool({ threads, matching, logger }) : undefined;
    stopping = async () => {
      shared.stop(); await stopBackground(); watch.stop(); await pool?.close(); await feedback.stop(); await shared.settled();
    };
    const app = m.createApp({ config, logger, store, matching, geography, feedback, indexSync: shared, pool });
    classes.adopt(app);
    handle = app;
    ready = true;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const how = loaded.from === 'snapshot'
      ? `index chargé depuis l’instantané, ${loaded.caughtUp} modification(s) rattrapée(s)`
      : 'index construit';
    logger.info({ ...matching.stats(), from: loaded.from, caughtUp: loaded.caughtUp, rankingThreads: threads, seconds: Number(seconds) }, 'service prêt');
    out.write(`Passerelles est prêt : ${server.url}  (documentation : ${server.url}/api/v1/docs) — ${how}, démarré en ${seconds} s\n`);
    if (loaded.save) {
      const t = performance.now();
      saving = loaded.save().then(
        (bytes) => logger.info({ where: snapshots?.where, mb: Math.round(bytes / 2 ** 20), seconds: Math.round((performance.now() - t) / 100) / 10 }, 'instantané de l’index enregistré'),
        (e: unknown) => logger.error({ err: e, where: snapshots?.where }, 'instantané de l’index non enregistré'),
      );
    }
    const signal = await stopped;
    logger.info({ signal }, 'arrêt demandé : fin des requêtes en cours');
  } finally {
    await server.close();
    await stopping?.();
    await saving;
    await store?.close();
  }
  logger.info('arrêt terminé');
}
