/**
 * A worker of the distributed mode (`passerelles worker`): takes shards from the queue, ranks them
 * over an index built from the store (once per run: a new run means new data and maybe a new
 * model), and commits each shard with its results. A shard already done is skipped; a run no
 * longer running is ignored.
 */
import type { Logger } from '../config/logger.ts';
import type { Store } from '../db/open.ts';
import type { Index } from '../engine/index.ts';
import type { ShardJob } from './batch.queue.ts';
import { createBatchRepository } from './batch.repository.ts';
import { inProcessRanker, previousTopKs, processShard, runRequest, type ShardRanker } from './batch.run.ts';
import { QuerySets } from './batch.shard.ts';
import type { RankingThreads } from './batch.threads.ts';

export interface WorkerDeps {
  store: Store;
  logger: Logger;
  buildIndex: () => Promise<Index>;
  /** Ranking threads (batch.threads.ts): when given, they rank the shards and this process builds no index. */
  threads?: RankingThreads;
  worker: string;
  shardDelayMs?: number;
}

export function shardHandler(deps: WorkerDeps): (job: ShardJob) => Promise<void> {
  const repo = createBatchRepository(deps.store);
  let current: { runId: number; rank: ShardRanker } | undefined;
  return async ({ runId, key }) => {
    const shard = await repo.shard(runId, key);
    if (!shard || shard.status === 'done') return;
    const run = await repo.getRun(runId);
    if (!run || run.status !== 'running') return;
    const { threads } = deps;
    if (threads) current = { runId, rank: (s) => threads.rank(run, s) };
    else if (current?.runId !== runId) {
      current = undefined; // let the previous index go before building the next
      const seeds = await previousTopKs(deps.store, runId); // before the build: an error then costs no index
      const index = await deps.buildIndex();
      current = { runId, rank: inProcessRanker(index, new QuerySets(index), runRequest(run), seeds) };
      deps.logger.info({ runId, ...index.stats() }, 'worker : index construit pour ce calcul');
    }
    deps.logger.info({ runId, shard: key, event: 'shard_started' }, 'tranche prise');
    let done;
    try {
      done = await processShard({ store: deps.store, worker: deps.worker }, current.rank, shard, deps.shardDelayMs);
    } catch (err) {
      // The queue gives the shard again (to this worker or another); its results are written once.
      deps.logger.warn({ err, runId, shard: key, event: 'shard_failed' }, 'tranche abandonnée : elle sera reprise');
      throw err;
    }
    deps.logger.info({ runId, shard: key, queries: done.queries, pairs: done.pairs, written: done.written, event: 'shard_done' }, 'tranche terminée');
  };
}
