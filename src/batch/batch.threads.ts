/**
 * Ranking threads of one worker process: the run is CPU-bound and a process runs JavaScript on
 * one core, so a worker process spreads each shard over threads (one per core by default,
 * PASSERELLES_BATCH_THREADS) and commits the shard itself. Each thread holds its own index, loaded
 * once per run from what `prepare` gives: the snapshot the worker process built and encoded in
 * memory shared with the threads, else the database's snapshot (batch.thread.ts). A thread ranks
 * every `parts`-th query of the shard from its `part`; the rows come back in the shard's query
 * order, as a run in one thread writes them.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from '../config/logger.ts';
import type { Store } from '../db/open.ts';
import { PasserellesError } from '../domain/errors.ts';
import { loadMatchingFiles } from '../matching/matching.models.ts';
import { tableSnapshots } from '../matching/matching.snapshot.ts';
import {
  databaseNow, loadIndex, MAX_CAUGHT_UP_SHARE, SNAPSHOT_BEHIND, snapshotBytes, snapshotStanding, TOO_FAR_BEHIND, type LoadedIndex,
} from '../matching/matching.sync.ts';
import type { BatchRun, ResultRow, Shard } from './batch.repository.ts';

export interface ThreadData { databaseUrl: string }
export interface RankTask {
  id: number;
  run: Pick<BatchRun, 'id' | 'asOf' | 'k' | 'model'>;
  shard: Pick<Shard, 'kind' | 'region' | 'firstId' | 'lastId'>;
  part: number;
  parts: number;
  /** The run's index as a snapshot the worker process encoded (shared, not copied): loaded from it rather than from the table. */
  snapshot?: SharedArrayBuffer;
  /** Only rows changed before this instant (ISO) are caught up: every thread of the run then holds the same records. */
  until?: string;
}
/** Where a thread's index came from: the worker's memory, the database's snapshot, or a build from the records. */
export type IndexSource = 'memory' | 'table' | 'build';
/**
 * How a thread loaded its index for a run: `caughtUp`, the records changed since the snapshot that it
 * applied; `rejected`, why a snapshot it was given was not used.
 */
export interface ThreadLoad { from: IndexSource; ms: number; caughtUp?: number; rejected?: string }
export type ThreadReply =
  | { id: number; results: ResultRow[]; pairs: number; loaded?: ThreadLoad }
  | { id: number; error: { message: string; code?: string } };

export interface ShardRanking { results: ResultRow[]; pairs: number }

export interface RankingThreads {
  readonly size: number;
  /** The shard's rows (queries in id order) and the pairs scored, ranked by all the threads. */
  rank(run: RankTask['run'], shard: Shard): Promise<ShardRanking>;
  /** Resolves once the snapshots `prepare` is saving are saved (or given up). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** Rows of the parts, back in the shard's order: part p holds the queries at positions p, p + n, p + 2n… */
export function interleave<T>(parts: readonly (readonly T[])[]): T[] {
  const n = parts.length, out: T[] = [];
  const total = parts.reduce((sum, p) => sum + p.length, 0);
  for (let i = 0; i < total; i++) {
    const part = parts[i % n];
    const row = part[Math.floor(i / n)];
    if (row === undefined) throw new PasserellesError('batch.thread_parts', 'Tranche : parts des fils de calcul incohérentes.', 500);
    out.push(row);
  }
  return out;
}

const ENTRY = new URL('./batch.thread.mjs', import.meta.url);

export interface RankingThreadsOptions {
  threads: number;
  databaseUrl: string;
  /**
   * Run once per run before its first shard goes to the threads (the worker process: the index
   * built once and encoded as a snapshot when none is valid in the database), so that the threads
   * load it instead of each building the same index from the records.
   */
  prepare?: (run: RankTask['run']) => Promise<PreparedIndex>;
  /** Told when a thread has loaded its index for a run. */
  onLoaded?: (thread: number, loaded: ThreadLoad) => void;
  /** How long `close`, or a new run's preparation, waits for a snapshot still being saved (default 60 s); told when it gives up. */
  saveWaitMs?: number;
  onSaveAbandoned?: (waitedMs: number) => void;
}

/** What `prepare` gives: the snapshot's bytes for the threads (none: they load the database's), and its save under way. */
export interface PreparedIndex { bytes?: SharedArrayBuffer; saved?: Promise<void>; until?: string }

export function startRankingThreads(options: RankingThreadsOptions): RankingThreads {
  const prepared = new Map<number, Promise<PreparedIndex>>();
  const saving = new Set<Promise<void>>();
  let nextId = 0;
  const waiting = new Map<number, { resolve: (r: ShardRanking) => void; reject: (e: Error) => void }>();
  let failure: Error | undefined;
  const threads = Array.from({ length: options.threads }, (_, threadNumber) => {
    const worker = new Worker(ENTRY, { workerData: { databaseUrl: options.databaseUrl } satisfies ThreadData });
    worker.on('message', (reply: ThreadReply | { ready: true }) => {
      if ('ready' in reply) return;
      const task = waiting.get(reply.id);
      if (!task) return;
      waiting.delete(reply.id);
      if ('error' in reply) task.reject(new PasserellesError(reply.error.code ?? 'batch.thread_failed', reply.error.message, 500));
      else {
        if (reply.loaded) options.onLoaded?.(threadNumber, reply.loaded);
        task.resolve({ results: reply.results, pairs: reply.pairs });
      }
    });
    const fail = (e: Error) => {
      failure = new PasserellesError('batch.thread_failed', `Un fil de calcul s’est arrêté : ${e.message}`, 500);
      for (const task of waiting.values()) task.reject(failure);
      waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => { if (code !== 0 && !closing) fail(new Error(`code de sortie ${code}`)); });
    return worker;
  });
  let closing = false;
  const waitMs = options.saveWaitMs ?? 60_000;
  /** Waits for the saves under way, at most `saveWaitMs` (told when it gives up); resolves either way. */
  const savesDone = async (): Promise<void> => {
    if (saving.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = await Promise.race([
      Promise.all(saving).then(() => false),
      new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(true), waitMs); }),
    ]);
    clearTimeout(timer);
    if (gaveUp) options.onSaveAbandoned?.(waitMs);
  };
  const ask = (worker: Worker, task: Omit<RankTask, 'id'>) => new Promise<ShardRanking>((resolve, reject) => {
    if (failure) { reject(failure); return; }
    const id = nextId++;
    waiting.set(id, { resolve, reject });
    worker.postMessage({ ...task, id } satisfies RankTask);
  });
  return {
    size: threads.length,
    async rank(run, shard) {
      let snapshot: SharedArrayBuffer | undefined, until: string | undefined;
      let preparing: Promise<PreparedIndex> | undefined;
      if (options.prepare) {
        preparing = prepared.get(run.id);
        if (!preparing) {
          prepared.clear();
          const prepare = options.prepare;
          // After the saves under way (within reason): a save replaces the other snapshots, so two at
          // once could each delete the other's. A failure is the shard's (retried); the next shard prepares again.
          const started: Promise<PreparedIndex> = savesDone().then(() => prepare(run)).then((p) => {
            if (p.saved) { const saved = p.saved; saving.add(saved); void saved.finally(() => saving.delete(saved)); }
            return p;
          }, (e: unknown) => { if (prepared.get(run.id) === started) prepared.delete(run.id); throw e; });
          prepared.set(run.id, started);
          preparing = started;
        }
        ({ bytes: snapshot, until } = await preparing);
      }
      const target = { kind: shard.kind, region: shard.region, firstId: shard.firstId, lastId: shard.lastId };
      const parts = await Promise.all(threads.map((worker, part) => ask(worker, {
        run: { id: run.id, asOf: run.asOf, k: run.k, model: run.model }, shard: target, part, parts: threads.length, snapshot, until,
      })));
      // Every thread has its index for this run now: the bytes are let go.
      if (preparing) (await preparing).bytes = undefined;
      return { results: interleave(parts.map((p) => p.results)), pairs: parts.reduce((sum, p) => sum + p.pairs, 0) };
    },
    async settled() { await Promise.all(saving); },
    async close() {
      closing = true;
      await savesDone(); // a snapshot still being saved for the next start, but not forever: the process is asked to stop
      await Promise.all(threads.map((worker) => new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        worker.postMessage('close');
        setTimeout(() => { void worker.terminate(); }, 5000).unref();
      })));
    },
  };
}

/**
 * The worker process's `prepare`: when no snapshot in the database is valid for the run (none, or
 * records changed since it), the index is made here once (built, or the snapshot caught up: see
 * buildUnlessCurrent) and encoded into memory that the threads load at once, then saved meanwhile
 * as the database's snapshot (for the next runs and a serving instance's start); or, a few records
 * changed since, the snapshot's bytes are handed to the threads, which catch it up themselves. A
 * valid snapshot is loaded by the threads from the database. A snapshot that cannot be saved only
 * costs the next run time.
 */
export function savedIndexForThreads(
  store: Store, logger: Logger, worker: string,
  load: () => Promise<ForThreads> = () => buildUnlessCurrent(store, logger, worker),
): () => Promise<PreparedIndex> {
  return async () => {
    const loaded = await load();
    const until = loaded.until ? { until: loaded.until.toISOString() } : {};
    if (loaded.bytes) return { bytes: loaded.bytes, ...until };
    if (!loaded.encode) return { ...until };
    const encoded = await loaded.encode().catch(async (err: unknown) => {
      // Not enough memory for the bytes, say: the threads load the snapshot saved the usual way instead.
      logger.warn({ err, worker, event: 'snapshot_not_encoded' }, 'worker : instantané non encodé en mémoire, enregistré dans la base pour les fils de calcul');
      await loaded.save?.().catch((e: unknown) => {
        logger.warn({ err: e, worker }, 'worker : instantané non enregistré (chaque fil de calcul construira son index)');
      });
      return undefined;
    });
    if (!encoded) return { ...until };
    const saved = encoded.save().then(
      () => { logger.info({ worker, event: 'snapshot_saved' }, 'worker : instantané de l’index enregistré'); },
      (err: unknown) => { logger.warn({ err, worker }, 'worker : instantané non enregistré (le prochain calcul reconstruira l’index)'); },
    );
    return { bytes: encoded.bytes, saved, ...until };
  };
}

/**
 * The share of the database snapshot's records that may have changed since it was saved for the
 * threads to catch it up themselves from its bytes, with nothing saved; beyond it, this process
 * catches it up and saves it for the next nights, so that what a night catches up stays small. At
 * national scale, with 2,500 records changed, the process's catch-up, its encoding for the threads
 * and their decoding took 76.5 s before the first shard (benchmarks/results/batch-nightly-*.txt).
 */
export const SAVE_BEHIND_SHARE = 0.05;

/**
 * What the worker process prepares for its threads: an index to encode and save (built, or caught
 * up once here), or a snapshot's bytes, or nothing (they load the table's); and `until`, the
 * database's instant when it began: the threads catch up only the rows changed before it.
 */
export type ForThreads = Pick<LoadedIndex, 'save' | 'encode'> & { bytes?: SharedArrayBuffer; until?: Date };

/**
 * What the threads of a run load when the database's snapshot is not valid for it (said in the
 * log, with why), else nothing: the threads load the snapshot, and this process no longer decodes
 * it only to find it valid (13.9–16.2 s and 1.7–2.8 GB at national scale). Only the snapshot's
 * header is read. Records changed since the snapshot (the usual night): up to SAVE_BEHIND_SHARE of
 * them, its bytes, read once, which each thread decodes and catches up exactly (batch.thread.ts:
 * the changed records analysed, every vector weighed with the idf of now); more, this process
 * catches it up exactly once, hands it to the threads and saves it. None, another version, or more
 * than MAX_CAUGHT_UP_SHARE of its records changed: built from every record.
 */
async function buildUnlessCurrent(store: Store, logger: Logger, worker: string): Promise<ForThreads> {
  const until = await databaseNow(store);
  const files = loadMatchingFiles(), snapshots = tableSnapshots(store);
  const toBuild = (why: string) => logger.info({ worker, why, event: 'index_to_build' }, `worker : index construit pour les fils de calcul (${why})`);
  const build = async (why: string): Promise<ForThreads> => {
    toBuild(why);
    return { ...await loadIndex(store, files, { snapshots, rebuild: true }), until };
  };
  const { stale: why, changed = 0, records = 0 } = await snapshotStanding(store, files, snapshots);
  if (!why) return { until };
  if (why !== SNAPSHOT_BEHIND) return build(why);
  if (changed > MAX_CAUGHT_UP_SHARE * records) return build(TOO_FAR_BEHIND);
  if (changed <= SAVE_BEHIND_SHARE * records) {
    const bytes = await snapshotBytes(files, snapshots);
    if (!(bytes instanceof SharedArrayBuffer)) return build(bytes.rejected);
    logger.info({ worker, changed, records, event: 'index_to_catch_up' },
      `worker : les fils de calcul rattrapent l’instantané (${changed} fiches changées depuis, sur ${records})`);
    return { bytes, until };
  }
  const started = performance.now();
  let rejected = false;
  const loaded = await loadIndex(store, files, { snapshots, exact: true, onSnapshotRejected: (reason) => { rejected = true; toBuild(reason); } });
  if (loaded.from === 'build' && !rejected) toBuild('aucun instantané');
  if (loaded.from === 'snapshot') {
    logger.info({ worker, caughtUp: loaded.caughtUp, ms: Math.round(performance.now() - started), event: 'index_caught_up' },
      `worker : instantané rattrapé pour les fils de calcul (${loaded.caughtUp} fiches changées depuis)`);
  }
  return { ...loaded, until };
}
