/**
 * Ranking threads of the service: served rankings are made beside the thread that answers HTTP,
 * on the machine's other cores. Under load the service's own thread was the bottleneck: an
 * explained match spent 40-57 % of its time in the engine there while part of a core stayed idle
 * (README, « Ce qui est garanti »).
 *
 * Each thread holds a replica of the index (an index is a graph of objects that threads cannot
 * share), decoded from the index encoded once into shared memory, then kept the same: every later
 * change of the service's index (upsert, remove, compact) is posted to every thread as it is made
 * (Index.observe), and a request posted after a change is answered after that change is applied,
 * since a thread takes its messages in order. A request carries what the ranking depends on
 * beyond the index: the model of the moment (and the one compared online), the caller, and the
 * candidates the requester's feedback hides (FeedbackEffects.hiddenList). The list comes back
 * ranked exactly as rankForServing ranks it in the service's thread, and serving finishes it there
 * (flags, swap, the ranking log).
 *
 * While no thread is ready (loading), and after a thread stopped, rankings are made in the
 * service's thread: `rank` answers undefined. A request waiting on a thread that stops is ranked
 * in the service's thread instead, not lost.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Caller } from '../access/access.policy.ts';
import type { Logger } from '../config/logger.ts';
import { PasserellesError } from '../domain/errors.ts';
import type { Index, IndexChange } from '../engine/index.ts';
import { encodeIndex, indexState } from '../engine/snapshot.ts';
import type { MatchQuery } from '../matching/matching.request.ts';
import { sharedJoin } from '../matching/matching.snapshot.ts';
import type { Matching, OnlineComparison } from '../matching/matching.usecases.ts';
import type { RankingModel } from '../ranking/model.ts';
import type { HiddenReason } from './effects.ts';
import { rankListed, type RankedForServing, type ServedTarget, type ServingRanker } from './serving.ts';

/** What a ranking thread is given at its start: its index's snapshot in shared memory. */
export interface PoolThreadData { snapshot: SharedArrayBuffer }

export interface PoolRankRequest {
  target: ServedTarget;
  query: MatchQuery;
  caller: Caller;
  hidden: [string, HiddenReason][] | undefined;
  model: RankingModel;
  comparison: OnlineComparison | undefined;
}

/**
 * Messages to a thread: changes of the index, requests, the end. A request carries the models only
 * when they changed since the thread's previous request: a model's weights are a typed array, and
 * one copied per request (a buffer allocated outside the heap on each side) brought the service's
 * garbage collections forward.
 */
export type PoolMessage =
  | { op: 'change'; change: IndexChange }
  | ({ op: 'rank'; id: number; models?: Pick<PoolRankRequest, 'model' | 'comparison'> } & Omit<PoolRankRequest, 'model' | 'comparison'>)
  | { op: 'close' };

/** A thread's messages: loaded (its index decoded in `ms`), a ranking, or the error a request ended in. */
export type PoolReply =
  | { ready: true; ms: number; records: number }
  | { id: number; ranked: RankedForServing }
  | { id: number; error: { code: string; message: string; status: number; details?: unknown } };

/** What the threads are doing, read by /metrics (api/metrics.ts). */
export interface RankingThreadCounts {
  /** Threads started. */
  readonly size: number;
  /** Threads loaded and running. */
  ready(): number;
  /** Requests posted to the threads and not answered yet. */
  waiting(): number;
  /** Requests the threads answered (rankings, and errors such as an unknown record). */
  answered(): number;
}

export interface RankingPool extends ServingRanker, RankingThreadCounts {
  /** Stops the threads; requests still waiting are ranked in the service's thread. */
  close(): Promise<void>;
}

export interface RankingPoolOptions {
  threads: number;
  /** The service's matching: its index is replicated; it ranks what no thread can. */
  matching: Matching;
  logger?: Logger;
  /** The thread's entry (tests give one that fails). */
  entry?: URL;
}

const ENTRY = new URL('./serving.thread.mjs', import.meta.url);

/**
 * Up to this many records, the service starts ranking threads by itself: each holds a copy of
 * the index, and at national scale (250,000 records, about 1.4 GB) one copy would take the
 * service past its 2 GB (issue 17); there, more instances share the load (README, Nightly run).
 */
export const AUTO_THREADS_MAX_RECORDS = 100_000;

/**
 * Ranking threads to start (PASSERELLES_MATCH_THREADS when set): one per core beyond the one that
 * answers HTTP, at most 3, none beyond AUTO_THREADS_MAX_RECORDS records.
 */
export function rankingThreadCount(configured: number | undefined, records: number, cores = availableParallelism()): number {
  if (configured !== undefined) return configured;
  return records > AUTO_THREADS_MAX_RECORDS ? 0 : Math.max(0, Math.min(cores - 1, 3));
}

/**
 * The index encoded into memory that threads share, at once: no change can come between its
 * state and the observation that follows it (both in the same turn of the caller).
 */
const encodeShared = (index: Index): SharedArrayBuffer => sharedJoin([...encodeIndex(indexState(index), 'serving-pool')]);

export function startRankingPool(options: RankingPoolOptions): RankingPool {
  const { matching, logger } = options;
  // Shared with the threads as they are made, then let go here.
  let snapshot: SharedArrayBuffer | undefined = encodeShared(matching.index);
  interface Pending { request: PoolRankRequest; resolve: (r: RankedForServing) => void; reject: (e: Error) => void }
  interface Thread {
    worker: Worker; ready: boolean; stopped: boolean; pending: Map<number, Pending>;
    /** The models of the last request posted to it. */
    sent?: Pick<PoolRankRequest, 'model' | 'comparison'>;
  }
  let nextId = 0;
  let answered = 0;
  let closing = false;
  const threads: Thread[] = Array.from({ length: options.threads }, (_, n) => {
    const worker = new Worker(options.entry ?? ENTRY, { workerData: { snapshot: snapshot! } satisfies PoolThreadData });
    const thread: Thread = { worker, ready: false, stopped: false, pending: new Map() };
    worker.on('message', (reply: PoolReply) => {
      if ('ready' in reply) {
        thread.ready = true;
        logger?.info({ thread: n, ms: reply.ms, records: reply.records }, 'fil de classement prêt');
        return;
      }
      const task = thread.pending.get(reply.id);
      if (!task) return;
      thread.pending.delete(reply.id);
      answered += 1;
      if ('error' in reply) task.reject(new PasserellesError(reply.error.code, reply.error.message, reply.error.status, reply.error.details));
      else task.resolve(reply.ranked);
    });
    const stop = (why: unknown) => {
      if (thread.stopped) return;
      thread.stopped = true;
      thread.ready = false;
      if (!closing) logger?.error({ thread: n, err: why }, 'fil de classement arrêté : le fil principal classe à sa place');
      // Not lost: what it was asked is ranked here.
      for (const task of thread.pending.values()) {
        try { task.resolve(rankListed(matching, task.request)); } catch (e) { task.reject(e as Error); }
      }
      thread.pending.clear();
    };
    worker.on('error', stop);
    worker.on('exit', (code) => stop(new Error(`code de sortie ${code}`)));
    return thread;
  });
  snapshot = undefined;
  // From the instant of the snapshot on: every change of the index, to every thread, in order.
  const unobserve = matching.index.observe((change) => {
    for (const t of threads) if (!t.stopped) t.worker.postMessage({ op: 'change', change } satisfies PoolMessage);
  });
  return {
    size: threads.length,
    ready: () => threads.filter((t) => t.ready).length,
    waiting: () => threads.reduce((n, t) => n + t.pending.size, 0),
    answered: () => answered,
    rank(request) {
      let best: Thread | undefined;
      for (const t of threads) if (t.ready && (!best || t.pending.size < best.pending.size)) best = t;
      if (!best) return undefined;
      const thread = best;
      const id = nextId++;
      // The hidden candidates listed now that a thread takes the request (ServingRanker).
      const listed: PoolRankRequest = { ...request, hidden: request.hidden() };
      const { model, comparison, ...rest } = listed;
      const same = thread.sent?.model === model && thread.sent.comparison === comparison;
      if (!same) thread.sent = { model, comparison };
      return new Promise<RankedForServing>((resolve, reject) => {
        thread.pending.set(id, { request: listed, resolve, reject });
        thread.worker.postMessage({ op: 'rank', id, ...rest, ...(same ? {} : { models: { model, comparison } }) } satisfies PoolMessage);
      });
    },
    async close() {
      closing = true;
      unobserve();
      await Promise.all(threads.map((t) => new Promise<void>((resolve) => {
        if (t.stopped) { resolve(); return; }
        t.worker.once('exit', () => resolve());
        t.worker.postMessage({ op: 'close' } satisfies PoolMessage);
        setTimeout(() => { void t.worker.terminate(); }, 5000).unref();
      })));
    },
  };
}
