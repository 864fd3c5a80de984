/** `passerelles worker`: takes shards of the nightly run from the queue (PostgreSQL server only). */
import { availableParallelism, totalmem } from 'node:os';
import { defaultWorkerName } from '../../batch/batch.run.ts';
import { savedIndexForThreads, startRankingThreads } from '../../batch/batch.threads.ts';
import { openShardQueue } from '../../batch/batch.queue.ts';
import { shardHandler } from '../../batch/batch.worker.ts';
import { invalid } from '../../domain/errors.ts';
import { loadMatchingFiles } from '../../matching/matching.models.ts';
import { buildIndexFromStore } from '../../matching/matching.sync.ts';
import { openStore } from '../../db/open.ts';
import { parseCommandArgs } from '../args.ts';
import { EXIT, type Command } from '../command.ts';

const LOADED_FROM = { memory: 'instantané du worker, en mémoire', table: 'instantané de la base', build: 'construit depuis les fiches' } as const;

export const workerCommand: Command = {
  name: 'worker',
  summary: 'Traite les tranches du calcul de nuit mises en file (serveur PostgreSQL)',
  help: `Usage : passerelles worker

Prend dans la file (pg-boss, sur le serveur PostgreSQL de DATABASE_URL) les tranches des calculs
lancés par « passerelles batch --queue » ou par le service (PASSERELLES_BATCH_QUEUE=true), et écrit
leurs résultats. Autant de workers que voulu, sur une ou plusieurs machines. Un worker arrêté en
cours de tranche ne perd rien : la tranche est reprise par un autre après
PASSERELLES_BATCH_SHARD_TIMEOUT_S secondes, et ses résultats ne sont écrits qu'une fois.
Chaque worker répartit ses tranches sur un fil de calcul par cœur, au plus un par 4 Go de mémoire
(PASSERELLES_BATCH_THREADS).
Arrêt propre sur SIGTERM ou SIGINT.
`,
  async run(args, ctx) {
    parseCommandArgs('worker', args, {});
    const { config, logger } = ctx;
    if (!config.databaseUrl) throw invalid('cli.bad_arguments', 'worker : les workers demandent un serveur PostgreSQL (DATABASE_URL) ; sur la base embarquée, « passerelles batch » calcule tout dans un processus.');
    const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    const queue = await openShardQueue({ databaseUrl: config.databaseUrl, shardTimeoutS: config.batchShardTimeoutS, logger });
    const worker = defaultWorkerName();
    // One ranking thread per core (a process runs its JavaScript on one core, the run is CPU-bound),
    // but each holds its own index (about 1.5 GB at national scale): no more than 4 GB of memory each.
    const count = config.batchThreads ?? Math.max(1, Math.min(availableParallelism(), Math.floor(totalmem() / 2 ** 32)));
    const threads = count > 1 ? startRankingThreads({
      threads: count, databaseUrl: config.databaseUrl,
      prepare: savedIndexForThreads(store, logger, worker),
      onLoaded: (thread, loaded) => logger[loaded.rejected ? 'warn' : 'info']({ worker, thread, ...loaded, event: 'thread_index_loaded' },
        `worker : fil de calcul ${thread + 1}, index chargé (${LOADED_FROM[loaded.from]}) en ${(loaded.ms / 1000).toFixed(1)} s`
        + (loaded.caughtUp ? ` ; ${loaded.caughtUp} fiches changées depuis rattrapées` : '')
        + (loaded.rejected ? ` ; instantané écarté : ${loaded.rejected}` : '')),
      onSaveAbandoned: (waitedMs) => logger.warn({ worker, waitedMs, event: 'snapshot_save_abandoned' },
        `worker : instantané toujours en cours d’enregistrement après ${waitedMs / 1000} s, arrêt sans l’attendre (le prochain calcul reconstruira l’index)`),
    }) : undefined;
    try {
      const files = loadMatchingFiles();
      await queue.work(shardHandler({
        store, logger, worker, shardDelayMs: config.batchShardDelayMs, buildIndex: () => buildIndexFromStore(store, files.thesaurus), threads,
      }), threads ? 2 : 1); // with threads, two shards at once: the threads rank one while the process commits the other
      logger.info({ worker, threads: count, event: 'worker_ready' }, 'worker prêt : en attente de tranches');
      ctx.stdout.write(`Worker ${worker} prêt : en attente de tranches (Ctrl-C pour arrêter).\n`);
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGTERM', () => resolve('SIGTERM'));
        process.once('SIGINT', () => resolve('SIGINT'));
      });
      logger.info({ signal }, 'worker : arrêt demandé');
    } finally {
      await queue.stop();
      await threads?.close();
      await store.close();
    }
    return EXIT.ok;
  },
};
