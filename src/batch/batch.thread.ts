/**
 * A ranking thread of a worker process (batch.threads.ts): loads its own index once per run, from
 * the snapshot the worker process encoded in shared memory when it made the index for the run,
 * else from the database's snapshot brought up to date exactly, else (neither usable) built from the store;
 * then ranks the part of each shard it is given (the shard's queries whose position modulo `parts`
 * is `part`) and posts the rows back. Its own index, because an index is a graph of objects that
 * threads cannot share.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../db/open.ts';
import type { Index } from '../engine/index.ts';
import type { RankRequest } from '../engine/request.ts';
import { loadMatchingFiles } from '../matching/matching.models.ts';
import { bytesSnapshots, tableSnapshots } from '../matching/matching.snapshot.ts';
import { loadIndex } from '../matching/matching.sync.ts';
import { previousTopKs, runRequest, type SeedSource } from './batch.run.ts';
import { QuerySets, rankQueries } from './batch.shard.ts';
import type { RankTask, ShardRanking, ThreadData, ThreadLoad, ThreadReply } from './batch.threads.ts';

const data = workerData as ThreadData;
const port = parentPort!;
const store = await openStore({ databaseUrl: data.databaseUrl, dataDir: '', migrate: false });
const files = loadMatchingFiles();
let current: { runId: number; index: Index; sets: QuerySets; request: RankRequest; seeds?: SeedSource } | undefined;

async function rankPart(task: RankTask): Promise<ShardRanking & { loaded?: ThreadLoad }> {
  let loaded: ThreadLoad | undefined;
  if (current?.runId !== task.run.id) {
    current = undefined; // let the previous run's index go before building the next
    // Asked before the index is loaded: a database error fails this task (retried) without losing a loaded index.
    const seedSource = await previousTopKs(store, task.run.id);
    const started = performance.now();
    const snapshots = task.snapshot ? bytesSnapshots(new Uint8Array(task.snapshot)) : tableSnapshots(store);
    let rejected: string | undefined;
    // Exact: a record changed since the snapshot was taken (by the process, or saved in the table)
    // is caught up, and every vector weighed with the idf of now, as a build would weigh it; only
    // those changed before the worker's `until`, so that every thread holds the same records.
    const { index, from, caughtUp } = await loadIndex(store, files, {
      snapshots, exact: true, until: task.until ? new Date(task.until) : undefined, onSnapshotRejected: (why) => { rejected = why; },
    });
    loaded = {
      from: from === 'build' ? 'build' : task.snapshot ? 'memory' : 'table', ms: Math.round(performance.now() - started),
      ...(caughtUp > 0 ? { caughtUp } : {}), ...(rejected ? { rejected } : {}),
    };
    current = { runId: task.run.id, index, sets: new QuerySets(index), request: runRequest(task.run), seeds: seedSource };
  }
  const queries = current.sets.of(task.shard).filter((_, i) => i % task.parts === task.part);
  const seeds = await current.seeds?.(task.shard.kind, queries.map((q) => q.entity.id));
  return { ...rankQueries(current.index, task.shard.kind, queries, current.request, seeds), ...(loaded ? { loaded } : {}) };
}

// One task at a time, in the order they come (the pool sends a thread one task at a time anyway).
let queue: Promise<void> = Promise.resolve();
port.on('message', (message: RankTask | 'close') => {
  if (message === 'close') {
    queue = queue.then(() => store.close()).finally(() => port.close());
    return;
  }
  queue = queue.then(async () => {
    let reply: ThreadReply;
    try {
      reply = { id: message.id, ...await rankPart(message) };
    } catch (e) {
      const error = e as Error & { code?: string };
      reply = { id: message.id, error: { message: error.message, code: error.code } };
    }
    port.postMessage(reply);
  });
});
port.postMessage({ ready: true });
