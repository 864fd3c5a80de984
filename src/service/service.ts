/**
 * The long-running service: what `passerelles serve` (and `npm start`) runs. It opens the store
 * (embedded PGlite without DATABASE_URL), loads the demo data on first start when the database is
 * empty, shares the embedded database with the commands run beside it, builds the index, follows
 * the current model, starts the ranking log and the feedback effects, serves the HTTP API and the
 * web pages, and on SIGTERM or SIGINT stops gracefully (requests in flight finish, the log is
 * written, the store is closed). It composes the edges and the use cases; the command line only
 * starts it.
 */
import { createApp } from '../api/app.ts';
import { startServer } from '../api/server.ts';
import type { Config } from '../config/config.ts';
import type { Logger } from '../config/logger.ts';
import { openStore } from '../db/open.ts';
import { openFeedbackLoop } from '../feedback/feedback.loop.ts';
import { loadGeography } from '../geo/geography.ts';
import { followWrites } from '../matching/matching.follow.ts';
import { openServedMatching, watchModels } from '../models/models.serving.ts';
import { createRecordsRepository } from '../records/records.repository.ts';
import { seedDemo } from '../../seed/demo.ts';

export interface ServiceDeps {
  config: Config;
  logger: Logger;
  /** Where the « ready » line is written (the terminal). */
  stdout: NodeJS.WritableStream;
}

/** Runs the service until SIGTERM or SIGINT. */
export async function runService({ config, logger, stdout: out }: ServiceDeps): Promise<void> {
  const started = performance.now();
  const shared = followWrites(logger);
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, share: true });
  try {
    const geography = loadGeography();
    const counts = await createRecordsRepository(store).countActive();
    if (config.demoData && counts.structures + counts.resources === 0) {
      logger.info('base vide : chargement des données de démonstration');
      const demo = await seedDemo({ store, geography, logger });
      logger.info({ structures: demo.generated.structures.inserted, resources: demo.generated.resources.inserted }, 'données de démonstration chargées');
    }
    // the other commands wait until the demo data is in, then reach the database through this process
    await store.share?.({ onWrite: shared.onWrite, onError: (err) => logger.warn({ err }, 'accès local à la base embarquée : connexion interrompue') });
    const { matching, models } = await openServedMatching(store);
    logger.info(matching.stats(), 'index de correspondance construit');
    shared.attach(store, matching.index);
    const watch = watchModels({
      models, matching, logger, intervalMs: config.modelPollSeconds * 1000, interleavingShare: config.interleavingShare,
    });
    await watch.check();
    const feedback = await openFeedbackLoop({ store, matching, config, logger, source: 'api' });
    logger.info({ purged: feedback.purged, ...feedback.effects.stats() }, 'journal des classements et effets des avis prêts');
    feedback.start();
    const app = createApp({ config, logger, store, matching, geography, feedback });
    const server = await startServer({ app, port: config.port, host: config.host, logger, shutdownTimeoutMs: config.shutdownTimeoutMs })
      .catch(async (e: unknown) => { watch.stop(); await feedback.stop(); throw e; });
    out.write(`Passerelles est prêt : ${server.url}  (documentation : ${server.url}/api/v1/docs) — démarré en ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    logger.info({ signal }, 'arrêt demandé : fin des requêtes en cours');
    watch.stop();
    await server.close();
    await feedback.stop();
    await shared.settled();
  } finally {
    await store.close();
  }
  logger.info('arrêt terminé');
}
