/**
 * The embedded database on a thread of its own, for the service. PGlite is PostgreSQL compiled to
 * WebAssembly: every statement runs on the JavaScript thread that opened it. In `passerelles serve`
 * that thread also answers HTTP, so each write of the ranking log, each record read and each page
 * of a list held every request behind it (on a 2-core machine, a third of an explained match's
 * time under load). Here PGlite runs on a worker thread (pglite.thread.ts) and the service's
 * thread only sends statements and receives rows.
 *
 * `client` has the two methods drizzle's PGlite driver calls (`query`, `transaction`), so the
 * drizzle database, the migrations and every repository work unchanged. A transaction holds
 * PGlite's transaction lock on the other thread from its BEGIN to its end, as in one thread: the
 * statements sent outside it wait for it. Errors come back with their fields (`code`, `detail`…),
 * and a thread that stopped answers every call with « PGlite is closed » (an unreachable database:
 * 503, try again).
 */
import { Worker } from 'node:worker_threads';
import type { ShareOptions } from './share.ts';

export interface ThreadStart { dataDir: string }

type QueryRequest = {
  op: 'query'; sql: string; params: unknown[]; rowMode: 'array' | 'object';
  /** Type ids whose values stay as text (drizzle's parsers: dates, intervals, some arrays). */
  textOids?: number[];
  tx?: number;
};
type RequestBody =
  | QueryRequest
  | { op: 'begin'; tx: number }
  | { op: 'end'; tx: number; commit: boolean }
  | { op: 'share'; path: string }
  | { op: 'close' };
export type ThreadRequest = { id: number } & RequestBody;

export interface SerializedError { name: string; message: string; stack?: string; fields: Record<string, unknown> }
export type ThreadReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };
type ThreadEvent = { event: 'write'; since: number } | { event: 'share-error'; error: SerializedError };

/** An error as it can cross threads: its message and stack, and its own fields of plain values (PostgreSQL's code, detail…). */
export function serializedError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(e)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
  }
  return { name: e.name, message: e.message, stack: e.stack, fields };
}

export function revivedError(s: SerializedError): Error {
  const e = Object.assign(new Error(s.message), s.fields);
  e.name = s.name;
  if (s.stack) e.stack = s.stack;
  return e;
}

interface QueryOptions { rowMode?: 'array' | 'object'; parsers?: Record<string, unknown> }

/** What drizzle's PGlite driver needs of a client. */
export interface RemoteClient {
  query(sql: string, params?: unknown[], options?: QueryOptions): Promise<unknown>;
  transaction<T>(work: (tx: Pick<RemoteClient, 'query'>) => Promise<T>): Promise<T>;
}

export interface RemotePglite {
  client: RemoteClient;
  /** Opens the database to the other local processes (share.ts), from its thread. */
  share(path: string, options: ShareOptions): Promise<void>;
  close(): Promise<void>;
}

const ENTRY = new URL('./pglite.thread.mjs', import.meta.url);
const YOUNG_MB = 16;

/** Starts the thread and opens the database in `dataDir` there; rejects with PGlite's error when it cannot. */
export async function openPgliteThread(dataDir: string): Promise<RemotePglite> {
  // Its own young generation, small: a thread inherits the process's flags, and `npm start`'s
  // --max-semi-space-size=64 (for the service's thread, see package.json) let this one, which only
  // turns rows into messages, grow to 192 MB of young objects during a cold start.
  const worker = new Worker(ENTRY, { workerData: { dataDir } satisfies ThreadStart, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (e: Error) => void }>();
  let serial = 0;
  let transactions = 0;
  let stopped: Error | undefined;
  let share: ShareOptions | undefined;

  const stop = (e: Error) => {
    stopped ??= e;
    for (const p of pending.values()) p.reject(stopped);
    pending.clear();
  };
  worker.on('message', (message: ThreadReply | ThreadEvent) => {
    if ('event' in message) {
      if (message.event === 'write') share?.onWrite?.(new Date(message.since));
      else share?.onError?.(revivedError(message.error));
      return;
    }
    const p = pending.get(message.id);
    if (!p) return;
    pending.delete(message.id);
    if (message.ok) p.resolve(message.value); else p.reject(revivedError(message.error));
  });
  worker.on('error', (e) => stop(new Error(`PGlite is closed: its thread failed (${e.message})`)));
  worker.on('exit', (code) => stop(new Error(`PGlite is closed: its thread stopped (code ${code})`)));

  const call = <T>(request: RequestBody): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (stopped) { reject(stopped); return; }
      const id = ++serial;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...request, id });
    });

  // the thread answers id 0 once PGlite is open (or could not be)
  await new Promise<void>((resolve, reject) => {
    pending.set(0, { resolve: () => resolve(), reject });
  });

  const query = (tx: number | undefined) => (sql: string, params: unknown[] = [], options: QueryOptions = {}) =>
    call<unknown>({
      op: 'query', sql, params, rowMode: options.rowMode ?? 'object',
      textOids: options.parsers ? Object.keys(options.parsers).map(Number) : undefined, tx,
    });

  const client: RemoteClient = {
    query: query(undefined),
    async transaction(work) {
      const tx = ++transactions;
      await call({ op: 'begin', tx });
      let result;
      try {
        result = await work({ query: query(tx) });
      } catch (e) {
        await call({ op: 'end', tx, commit: false }).catch(() => {}); // the work's error is the one to report
        throw e;
      }
      await call({ op: 'end', tx, commit: true });
      return result;
    },
  };

  return {
    client,
    async share(path, options) {
      share = options;
      await call({ op: 'share', path });
    },
    async close() {
      if (stopped) return;
      try {
        await call({ op: 'close' });
      } finally {
        await worker.terminate();
      }
    },
  };
}
