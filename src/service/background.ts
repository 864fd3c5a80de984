/**
 * What `passerelles serve` runs beside the HTTP API, started by one call and stopped by the
 * function it returns:
 * - on a PostgreSQL server, the following of changes committed by other instances (LISTEN/NOTIFY,
 *   src/matching/matching.listen.ts);
 * - the nightly batch at PASSERELLES_BATCH_CRON (Paris time), over the service's live index and
 *   current model, in this process or by the workers (PASSERELLES_BATCH_QUEUE), then its reports.
 */
import type { Config } from '../config/config.ts';
import type { Logger } from '../config/logger.ts';
import type { Store } from '../db/open.ts';
import type { Geography } from '../geo/geography.ts';
import type { Matching } from '../matching/matching.usecases.ts';
import type { RecordStamps } from '../records/records.repository.ts';
import { followStore, type Follower } from '../matching/matching.listen.ts';
import { scheduleNightly, type Nightly } from '../batch/batch.nightly.ts';
import { openShardQueue } from '../batch/batch.queue.ts';
import { createBatchRepository } from '../batch/batch.repository.ts';
import { writeRunReports } from '../batch/batch.reports.ts';
import { defaultWorkerName, runBatch, type TrainIfNewFeedback } from '../batch/batch.run.ts';
import { createRunProgress } from '../batch/batch.progress.ts';

export interface ServeBackgroundDeps {
  config: Config;
  logger: Logger;
  store: Store;
  matching: Matching;
  geography: Geography;
  /** The feedback loop's retraining before the nightly run (absent: the run scores with the current model). */
  trainIfNewFeedback?: TrainIfNewFeedback;
  /** Called with the payload of a model promotion announced by another instance (the registry's hook). */
  onModelChange?: (payload: string) => void | Promise<void>;
  /** The instant the index is complete up to (LoadedIndex.since): following other instances starts there. */
  since?: Date;
  /** The records' instants as the index holds them, when it was built from them (see FollowOptions.stamps). */
  stamps?: RecordStamps;
}

export async function startServeBackground(deps: ServeBackgroundDeps): Promise<() => Promise<void>> {
  const { config, logger, store, matching } = deps;
  let follower: Follower | undefined;
  let nightly: Nightly | undefined;
  if (config.databaseUrl) {
    follower = await followStore({ databaseUrl: config.databaseUrl, store, index: matching.index, logger, onModelChange: deps.onModelChange, since: deps.since, stamps: deps.stamps });
    await follower.ready;
    logger.info('suivi des modifications des autres instances actif (LISTEN passerelles_records)');
  }
  if (config.batchCron !== 'off') {
    const repo = createBatchRepository(store);
    const useQueue = config.batchQueue && config.databaseUrl !== undefined;
    nightly = scheduleNightly({
      cron: config.batchCron, logger,
      lastStartedAt: () => repo.lastStartedAt(),
      hasUnfinished: async () => (await repo.unfinished()) !== undefined,
      run: async () => {
        const queue = useQueue ? await openShardQueue({ databaseUrl: config.databaseUrl!, shardTimeoutS: config.batchShardTimeoutS, logger }) : undefined;
        const progress = createRunProgress({ write: () => true } as unknown as NodeJS.WritableStream, logger);
        try {
          return await runBatch({
            store, logger, queue, worker: defaultWorkerName(), trainIfNewFeedback: deps.trainIfNewFeedback,
            index: async () => matching.index,
            currentModel: async () => matching.model(),
            onProgress: (p) => progress.update(p),
            writeReports: (run) => writeRunReports({ store, geography: deps.geography, reportsDir: config.reportsDir, goodScore: config.reportGoodScore }, run),
          }, {
            k: config.batchK, shardSize: config.batchShardSize, keepRuns: config.batchKeepRuns, trigger: 'nightly',
            mode: useQueue ? 'queue' : 'local', shardDelayMs: config.batchShardDelayMs,
          });
        } finally {
          await queue?.stop();
        }
      },
    });
    logger.info({ cron: config.batchCron, next: nightly.next()?.toISOString() }, 'calcul de nuit programmé (heure de Paris)');
  }
  return async () => {
    nightly?.stop();
    await follower?.stop();
  };
}
