/**
 * `passerelles serve`: binds its port FIRST (a port in use is said at once, in French), answering
 * /healthz 200 and /readyz 503 with the loading stage; then opens the store (embedded PGlite
 * without DATABASE_URL), loads the demo data on first start when the database is empty, loads the
 * index (from its snapshot when one matches, caught up; else built, then saved as the next
 * snapshot once the service is ready), and serves the HTTP API until SIGTERM or SIGINT, then
 * stops gracefully (in-flight requests and a snapshot being saved finish, the store is closed).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeStart, loadingHandler, START_LABELS, type StartState } from '../../api/loading.ts';
import { startServer } from '../../api/server.ts';
import type { Store } from '../../db/open.ts';
import type { LoadProgress } from '../../matching/matching.stages.ts';
import { parseCommandArgs } from '../args.ts';
import { EXIT, type Command } from '../command.ts';

/** Everything else is loaded once the port is bound (the engine's code takes seconds to load). */
const loadModules = async () => ({
  ...await import('../../api/app.ts'),
  ...await import('../../db/open.ts'),
  ...await import('../../records/records.repository.ts'),
  ...await import('../../matching/matching.models.ts'),
  ...await import('../../matching/matching.snapshot.ts'),
  ...await import('../../matching/matching.sync.ts'),
  ...await import('../../matching/matching.usecases.ts'),
  ...await import('../../geo/geography.ts'),
  ...await import('../../../seed/demo.ts'),
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

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Démarre le service HTTP (API, documentation, santé, métriques)',
  help: `Usage : passerelles serve

Démarre le service HTTP de Passerelles sur HOST:PORT (défaut 127.0.0.1:3000). Le port est ouvert
d'abord : /healthz répond 200 tout de suite, /readyz 503 avec l'étape du chargement (ouverture de
la base, lecture des enregistrements, construction de l'index, chargement de l'instantané,
rattrapage) jusqu'à ce que le service soit prêt. Sans DATABASE_URL, la base embarquée est conservée
dans PASSERELLES_DATA_DIR (défaut ./.data) ; au premier démarrage, si la base est vide, les données
de démonstration sont chargées (PASSERELLES_DEMO_DATA=false pour ne pas le faire). L'index est
gardé en instantané (PASSERELLES_INDEX_SNAPSHOT) : les démarrages suivants le rechargent sans
réanalyser les textes. Arrêt propre sur SIGTERM ou SIGINT (Ctrl-C).
`,
  async run(args, ctx) {
    parseCommandArgs('serve', args, {});
    const { config, logger } = ctx;
    const started = performance.now();
    const state: StartState = { stage: 'opening_database', startedAt: started };
    let handle: (req: IncomingMessage, res: ServerResponse) => void = loadingHandler(state);
    const server = await startServer({
      app: (req, res) => handle(req, res), port: config.port, host: config.host, logger, shutdownTimeoutMs: config.shutdownTimeoutMs,
    });
    ctx.stdout.write(`Passerelles démarre sur ${server.url} : chargement en cours (suivre : ${server.url}/readyz)\n`);
    let ready = false;
    const stopped = new Promise<NodeJS.Signals>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        if (ready) return resolve(signal);
        logger.info({ signal, stage: state.stage }, 'arrêt demandé pendant le chargement');
        process.exit(EXIT.ok); // nothing is served yet; the lock of an embedded database is released on exit
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
    let store: Store | undefined;
    let saving: Promise<unknown> = Promise.resolve();
    try {
      const progress = progressLogger(state, (fields, message) => logger.info(fields, message));
      progress({ stage: 'opening_database' });
      const {
        openStore, loadGeography, createRecordsRepository, seedDemo, loadMatchingFiles, snapshotStorageFor, loadIndex, createMatching, createApp,
      } = await loadModules();
      store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      const geography = loadGeography();
      if (config.demoData && !(await createRecordsRepository(store).hasAny())) {
        progress({ stage: 'loading_demo_data' });
        const demo = await seedDemo({ store, geography, logger });
        logger.info({ structures: demo.generated.structures.inserted, resources: demo.generated.resources.inserted }, 'données de démonstration chargées');
      }
      const files = loadMatchingFiles();
      const snapshots = config.indexSnapshot ? snapshotStorageFor(store, config.dataDir) : undefined;
      const loaded = await loadIndex(store, files, {
        snapshots,
        onProgress: progress,
        onSnapshotRejected: (reason) => logger.warn({ where: snapshots?.where, reason }, 'instantané de l’index écarté : reconstruction complète'),
      });
      const matching = createMatching({ index: loaded.index, stamps: loaded.stamps, model: files.model });
      const app = createApp({ config, logger, store, matching, geography });
      handle = app;
      ready = true;
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const how = loaded.from === 'snapshot'
        ? `index chargé depuis l’instantané, ${loaded.caughtUp} modification(s) rattrapée(s)`
        : 'index construit';
      logger.info({ ...matching.stats(), from: loaded.from, caughtUp: loaded.caughtUp, seconds: Number(seconds) }, 'service prêt');
      ctx.stdout.write(`Passerelles est prêt : ${server.url}  (documentation : ${server.url}/api/v1/docs) — ${how}, démarré en ${seconds} s\n`);
      if (loaded.fill) {
        loaded.fill().catch((e) => logger.warn({ err: e }, 'dates de mise à jour non chargées : les lectures passent par la base'));
      }
      if (loaded.save) {
        const t = performance.now();
        saving = loaded.save().then(
          (bytes) => logger.info({ where: snapshots?.where, mb: Math.round(bytes / 2 ** 20), seconds: Math.round((performance.now() - t) / 100) / 10 }, 'instantané de l’index enregistré'),
          (e) => logger.error({ err: e, where: snapshots?.where }, 'instantané de l’index non enregistré'),
        );
      }
      const signal = await stopped;
      logger.info({ signal }, 'arrêt demandé : fin des requêtes en cours');
    } finally {
      await server.close();
      await saving;
      await store?.close();
    }
    logger.info('arrêt terminé');
    return EXIT.ok;
  },
};
