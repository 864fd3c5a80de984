/**
 * `passerelles serve`: opens the store (embedded PGlite without DATABASE_URL), loads the demo data
 * on first start when the database is empty, builds the index, and serves the HTTP API until
 * SIGTERM or SIGINT, then stops gracefully (in-flight requests finish, the store is closed).
 */
import { createApp } from '../../api/app.ts';
import { startServer } from '../../api/server.ts';
import { openStore } from '../../db/open.ts';
import { createRecordsRepository } from '../../records/records.repository.ts';
import { openFeedbackLoop } from '../../feedback/feedback.loop.ts';
import { openServedMatching, watchModels } from '../../models/models.serving.ts';
import { loadGeography } from '../../geo/geography.ts';
import { seedDemo } from '../../../seed/demo.ts';
import { invalid } from '../../domain/errors.ts';
import { parseCommandArgs } from '../args.ts';
import { EXIT, type Command } from '../command.ts';
import { followWrites } from '../../matching/matching.follow.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Démarre le service HTTP (API, documentation, santé, métriques)',
  help: `Usage : passerelles serve

Démarre le service HTTP de Passerelles sur HOST:PORT (défaut 127.0.0.1:3000). Sans DATABASE_URL,
la base embarquée est conservée dans PASSERELLES_DATA_DIR (défaut ./.data) ; au premier démarrage,
si la base est vide, les données de démonstration sont chargées (PASSERELLES_DEMO_DATA=false pour
ne pas le faire). Pendant qu'il tourne, les autres commandes (import, match, keys…) utilisent la
même base embarquée à travers lui (socket local PASSERELLES_DATA_DIR.sock, réservé à cet
utilisateur) ; ce qu'elles écrivent entre aussitôt dans son index. Le modèle de classement est le
modèle courant du registre (au premier démarrage, le modèle par défaut de models/) ; un modèle promu
(passerelles models promote, passerelles train) est adopté sans redémarrer, dans les
PASSERELLES_MODEL_POLL_SECONDS secondes. Les classements plus anciens que
PASSERELLES_RANKING_RETENTION_DAYS sont purgés au démarrage. Arrêt propre sur SIGTERM ou SIGINT
(Ctrl-C) : le journal des classements est vidé.
`,
  async run(args, ctx) {
    const { positionals } = parseCommandArgs('serve', args, {});
    if (positionals.length > 0) throw invalid('cli.bad_arguments', `serve : argument inattendu « ${positionals[0]} » (la configuration passe par les variables d’environnement : passerelles --help).`);
    const { config, logger } = ctx;
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
      ctx.stdout.write(`Passerelles est prêt : ${server.url}  (documentation : ${server.url}/api/v1/docs) — démarré en ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
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
    return EXIT.ok;
  },
};
