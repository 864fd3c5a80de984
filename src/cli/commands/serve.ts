/**
 * `passerelles serve`: opens the store (embedded PGlite without DATABASE_URL), loads the demo data
 * on first start when the database is empty, builds the index, and serves the HTTP API until
 * SIGTERM or SIGINT, then stops gracefully (in-flight requests finish, the store is closed).
 */
import { createApp } from '../../api/app.ts';
import { startServer } from '../../api/server.ts';
import { openStore } from '../../db/open.ts';
import { createRecordsRepository } from '../../records/records.repository.ts';
import { openMatching } from '../../matching/matching.sync.ts';
import { loadGeography } from '../../geo/geography.ts';
import { seedDemo } from '../../../seed/demo.ts';
import { parseCommandArgs } from '../args.ts';
import { EXIT, type Command } from '../command.ts';
import { startServeBackground } from '../serve-background.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Démarre le service HTTP (API, documentation, santé, métriques)',
  help: `Usage : passerelles serve

Démarre le service HTTP de Passerelles sur HOST:PORT (défaut 127.0.0.1:3000). Sans DATABASE_URL,
la base embarquée est conservée dans PASSERELLES_DATA_DIR (défaut ./.data) ; au premier démarrage,
si la base est vide, les données de démonstration sont chargées (PASSERELLES_DEMO_DATA=false pour
ne pas le faire). Arrêt propre sur SIGTERM ou SIGINT (Ctrl-C).
`,
  async run(args, ctx) {
    parseCommandArgs('serve', args, {});
    const { config, logger } = ctx;
    const started = performance.now();
    const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      const geography = loadGeography();
      const counts = await createRecordsRepository(store).countActive();
      if (config.demoData && counts.structures + counts.resources === 0) {
        logger.info('base vide : chargement des données de démonstration');
        const demo = await seedDemo({ store, geography, logger });
        logger.info({ structures: demo.generated.structures.inserted, resources: demo.generated.resources.inserted }, 'données de démonstration chargées');
      }
      const matching = await openMatching(store);
      logger.info(matching.stats(), 'index de correspondance construit');
      const app = createApp({ config, logger, store, matching, geography });
      const server = await startServer({ app, port: config.port, host: config.host, logger, shutdownTimeoutMs: config.shutdownTimeoutMs });
      const stopBackground = await startServeBackground({ config, logger, store, matching, geography }); // other instances' changes, nightly batch
      ctx.stdout.write(`Passerelles est prêt : ${server.url}  (documentation : ${server.url}/api/v1/docs) — démarré en ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGTERM', () => resolve('SIGTERM'));
        process.once('SIGINT', () => resolve('SIGINT'));
      });
      logger.info({ signal }, 'arrêt demandé : fin des requêtes en cours');
      await server.close();
      await stopBackground();
    } finally {
      await store.close();
    }
    logger.info('arrêt terminé');
    return EXIT.ok;
  },
};
