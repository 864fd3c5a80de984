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
import { setFlagsFromString } from 'node:v8';
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

export interface SerializedError {
  /** Its class's name, its name, message and stack, and its own fields of plain values. */
  type: string; name: string; message: string; stack?: string; fields: Record<string, unknown>;
}
export type ThreadReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };
type ThreadEvent = { event: 'write'; since: number } | { event: 'share-error'; error: SerializedError };

/** An error as it can cross threads: its message and stack, and its own fields of plain values (PostgreSQL's code, detail…). */
export function serializedError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { type: 'Error', name: 'Error', message: String(e), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(e)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
  }
  return { type: e.constructor.name, name: e.name, message: e.message, stack: e.stack, fields };
}

/** Classes named as the errors of the other thread (`DatabaseError`…), so that a log says which it was. */
const errorClasses = new Map<string, new (message: string) => Error>();
const errorClass = (name: string) => {
  let made = errorClasses.get(name);
  if (!made) errorClasses.set(name, (made = { [name]: class extends Error {} }[name]));
  return made;
};

/** The error of the other thread, with its fields, and its stack followed by the stack of the call that sent the statement. */
export function revivedError(s: SerializedError, calledAt?: string): Error {
  const e = Object.assign(new (errorClass(s.type))(s.message), s.fields);
  e.name = s.name;
  if (s.stack) e.stack = calledAt ? `${s.stack}\n    --- sent from ---${calledAt.slice(calledAt.indexOf('\n'))}` : s.stack;
  return e;
}

interface QueryOptions { rowMode?: 'array' | 'object'; parsers?: Record<string, unknown> }

/** What drizzle's PGlite driver needs of a client. */
export interface RemoteClient {
  query(sql: string, params?: unknown[], options?: QueryOptions): Promise<unknown>;
  transaction<T>(work: (tx: Pick<RemoteClient, 'query'>) => Promise<T>): Promise<T>;
}

export interface ThreadOptions {
  /**
   * Told when the thread stops by itself (out of memory, a crash of PGlite): every statement then
   * fails as if the database were unreachable, so the service should stop and be restarted.
   */
  onFatal?: (error: Error) => void;
  /** The thread's module (tests: one that fails as a real one could). */
  entry?: URL;
}

export interface RemotePglite {
  client: RemoteClient;
  /** Opens the database to the other local processes (share.ts), from its thread. */
  share(path: string, options: ShareOptions): Promise<void>;
  close(): Promise<void>;
}

const ENTRY = new URL('./pglite.thread.mjs', import.meta.url);
/** How long a close waits for the thread (a transaction left open holds PGlite's close) before stopping it. */
const CLOSE_TIMEOUT_MS = 10_000;

/**
 * The young generation of the database's thread. It turns rows into messages: what it allocates
 * dies young, but `npm start` gives the process semi-spaces of 64 MB (for the service's thread,
 * see package.json), and a thread inherits them: during a cold start at national scale its young
 * generation grew to 150 MB. A V8 flag is the process's, and overrides a worker's `resourceLimits`:
 * it is set for the thread's creation, then put back.
 */
const THREAD_SEMI_SPACE_MB = 8;
/** V8's own maximum semi-space on 64-bit platforms (Node 20), put back when the process set none. */
const V8_DEFAULT_SEMI_SPACE_MB = 16;

/** Creates the thread with its own semi-space size: the flag is set for its creation, and put back once it runs. */
function threadWithSemiSpace(mb: number, create: () => Worker): Worker {
  const flag = /--max-semi-space-size[= ](\d+)/.exec([...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' '));
  setFlagsFromString(`--max-semi-space-size=${mb}`);
  let worker: Worker;
  try {
    worker = create();
  } catch (e) {
    restore();
    throw e;
  }
  worker.once('online', restore); // its heap is set up before it runs
  worker.once('exit', restore);
  return worker;
  function restore() { setFlagsFromString(`--max-semi-space-size=${flag ? flag[1] : V8_DEFAULT_SEMI_SPACE_MB}`); }
}
/** Starts the thread and opens the database in `dataDir` there; rejects with PGlite's error when it cannot. */
export async function openPgliteThread(dataDir: string, options: ThreadOptions = {}): Promise<RemotePglite> {
  const worker = threadWithSemiSpace(THREAD_SEMI_SPACE_MB, () => new Worker(options.entry ?? ENTRY, { workerData: { dataDir } satisfies ThreadStart }));
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (e: Error) => void; calledAt?: Error }>();
  let serial = 0;
  let transactions = 0;
  let stopped: Error | undefined;
  let closing: Promise<void> | undefined;
  let opened = false;
  let share: ShareOptions | undefined;

  const stop = (e: Error) => {
    const first = !stopped;
    stopped ??= e;
    for (const p of pending.values()) p.reject(stopped);
    pending.clear();
    if (first && opened && !closing) options.onFatal?.(stopped);
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
    if (message.ok) p.resolve(message.value); else p.reject(revivedError(message.error, p.calledAt?.stack));
  });
  worker.on('error', (e) => stop(new Error(`PGlite is closed: its thread failed (${e.message})`)));
  worker.on('exit', (code) => stop(new Error(`PGlite is closed: its thread stopped (code ${code})`)));

  const call = <T>(request: RequestBody): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (stopped) { reject(stopped); return; }
      const id = ++serial;
      try {
        worker.postMessage({ ...request, id });
      } catch (e) { // a parameter that cannot cross threads
        reject(e as Error);
        return;
      }
      // the caller's frames, formatted only if the statement fails
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject, calledAt: new Error() });
    });

  // the thread answers id 0 once PGlite is open (or could not be)
  await new Promise<void>((resolve, reject) => {
    pending.set(0, { resolve: () => resolve(), reject });
  });
  opened = true;

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
    close() {
      closing ??= (async () => {
        if (stopped) return;
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([call({ op: 'close' }), new Promise((resolve) => { timer = setTimeout(resolve, CLOSE_TIMEOUT_MS); })]);
        } finally {
          clearTimeout(timer);
          await worker.terminate();
        }
      })();
      return closing;
    },
  };
}
