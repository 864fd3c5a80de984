/**
 * Opens the store: a PostgreSQL server through postgres.js when a URL is given, otherwise the
 * embedded PGlite database in a data folder. Both get the same drizzle schema and migrations.
 * Nothing is opened at import time: callers pass the options in and close what they open.
 */
import { mkdir } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { isPasserellesError, PasserellesError } from '../domain/errors.ts';
import { isUnavailable } from './errors.ts';
import { guardNullSocketWrites } from './guard.ts';
import { openPgliteThread, type RemotePglite } from './pglite.remote.ts';
import { announceShare, lockDataDir, readLock, realDataDir } from './lock.ts';
import { schema } from './schema.ts';
import { shareDatabase, socketPathOf, type ShareOptions } from './share.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/**
 * Runs `work` in a transaction of `db`, handing it the transaction as a `Db` (drizzle's
 * transaction type differs from the database's only by its driver parameters).
 */
export function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction((tx) => work(tx as unknown as Db));
}

/**
 * Raw rows of a statement run on `db` (a database or a transaction), whichever driver runs it:
 * PGlite answers `{ rows }`, postgres.js an array.
 */
export async function rowsOf<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return Array.isArray(result) ? [...(result as T[])] : (result as { rows: T[] }).rows;
}

/** Whether the store is the embedded database, opened here or reached through another process's socket: its queries run on a JavaScript thread. */
export const isEmbedded = (store: Partial<Pick<Store, 'kind' | 'sharedBy'>>): boolean => store.kind === 'pglite' || store.sharedBy !== undefined;

export interface Store {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Set when this store reaches the embedded database another process serves (its socket path). */
  sharedBy?: string;
  /** Set when the embedded database runs on a thread of its own (its statements do not hold this thread). */
  thread?: true;
  /** Runs raw SQL and returns rows as plain objects, whichever driver is underneath. */
  rows<T = Record<string, unknown>>(query: ReturnType<typeof sql>): Promise<T[]>;
  /**
   * A `copy … from stdin` statement's input, as a stream to write to and end (PostgreSQL server only):
   * bytes go as they are, where a parameter of a statement goes as text (bytea: hex, twice its size).
   */
  copyIn?(statement: string): Promise<Writable>;
  /**
   * A `copy … to stdout` statement's output, as a stream of bytes (PostgreSQL server only): with
   * `(format binary)`, bytea comes as it is, where a query's result comes as hex text.
   */
  copyOut?(statement: string): Promise<Readable>;
  /** Opens this embedded database to the other local processes (on-disk PGlite only; src/db/share.ts). */
  share?(options: ShareOptions): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres://… to use a server; absent for the embedded database. */
  databaseUrl?: string;
  /** Data folder of the embedded database; `memory://` keeps it in memory (tests). */
  dataDir: string;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /**
   * With `memory://` and no `thread`: start from this dump of a data folder (PGlite's `dumpDataDir`)
   * instead of an empty cluster, skipping initdb, 1.5 to 4 s of CPU (the tests start their databases
   * from one migrated dump: test/support/templates.ts).
   */
  loadDataDir?: Blob;
  /**
   * The caller will share the embedded database with the other local processes (`serve`, through
   * `store.share()` once its data is ready): they wait for it instead of failing on the lock. Without
   * it, an opener that finds the folder held by a process sharing it connects to that process.
   */
  share?: boolean;
  /** Told once when the command waits for a starting service to share the database. */
  onWait?: (pid: number) => void;
  /**
   * Run the embedded database on a thread of its own (pglite.remote.ts): the service's, whose
   * thread answers HTTP. A command runs its statements one after another and gains nothing by it.
   */
  thread?: boolean;
  /** With `thread`: told when that thread stops by itself (every statement then fails as unreachable). */
  onThreadStopped?: (error: Error) => void;
}

/** How long a command waits for a starting service to open its database to others. */
const SHARE_WAIT_MS = 180_000;

/**
 * Seconds before a new connection after one was lost. postgres.js's default grows with each failure
 * up to 20 s, so a service would stay down long after its database is back.
 */
const RECONNECT_DELAY_S = 0.5;

const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations');

export async function openStore(options: OpenOptions): Promise<Store> {
  const store = options.databaseUrl ? await openPostgres(options.databaseUrl) : await openPglite(options.dataDir, options);
  if (options.migrate !== false && !store.sharedBy) {
    try {
      await migrateStore(store);
    } catch (e) {
      await store.close().catch(() => {});
      if (!isUnavailable(e)) throw e;
      throw new PasserellesError('db.unreachable', `Base de données injoignable pendant la mise à jour de son schéma : ${(e as Error).message}`, 503);
    }
  }
  return store;
}

/** The socket of the process serving a held data folder; waits while that process is starting. */
async function sharedSocketOf(dataDir: string, onWait?: (pid: number) => void): Promise<string | undefined> {
  const deadline = Date.now() + SHARE_WAIT_MS;
  for (let told = false; ; told = true) {
    const holder = readLock(dataDir);
    if (!holder?.share) return undefined;
    if (holder.share !== 'pending') return holder.share;
    if (Date.now() > deadline) return undefined;
    if (!told) onWait?.(holder.pid);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function openPglite(dataDir: string, { share, onWait, thread, onThreadStopped, loadDataDir }: Pick<OpenOptions, 'share' | 'onWait' | 'thread' | 'onThreadStopped' | 'loadDataDir'>): Promise<Store> {
  const { drizzle } = await import('drizzle-orm/pglite');
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) await mkdir(resolve(dataDir), { recursive: true });
  // The folder itself (a symbolic link resolved): one lock whatever path reaches it, and PGlite opens the real folder.
  const dir = inMemory ? dataDir : realDataDir(dataDir);
  let unlock = () => {};
  if (!inMemory) {
    for (let attempt = 0; ; attempt++) {
      try {
        unlock = lockDataDir(dir, share ? 'share pending' : undefined);
        break;
      } catch (e) {
        const socket = !share && isPasserellesError(e) && e.code === 'db.locked' ? await sharedSocketOf(dir, onWait) : undefined;
        if (socket) return openSharedSocket(socket, dataDir);
        if (attempt > 0 || share || readLock(dir)) throw e; // else the service stopped while we waited: try again
      }
    }
  }
  let database: EmbeddedDatabase;
  try {
    database = thread ? await openPgliteThread(dir, { onFatal: onThreadStopped }) : await openPgliteHere(dir, loadDataDir);
  } catch (e) {
    unlock();
    throw new PasserellesError('db.open_failed',
      `Impossible d'ouvrir la base embarquée dans « ${dataDir} » : ${(e as Error)?.message ?? String(e)}`, 500);
  }
  const db = drizzle({ client: database.client as never, schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    ...(thread ? { thread: true as const } : {}),
    rows: <T>(query: ReturnType<typeof sql>) => rowsOf<T>(db, query),
    share: inMemory ? undefined : async (options: ShareOptions) => {
      const path = socketPathOf(dir);
      await database.share(path, options);
      announceShare(dir, path);
    },
    close: async () => {
      try {
        await database.close();
      } finally { unlock(); }
    },
  };
}

/** PGlite opened on this thread or on its own (pglite.remote.ts): a client for drizzle, sharing, closing. */
type EmbeddedDatabase = Pick<RemotePglite, 'share' | 'close'> & { client: unknown };

async function openPgliteHere(dir: string, loadDataDir?: Blob): Promise<EmbeddedDatabase> {
  const { PGlite } = await import('@electric-sql/pglite');
  const client = await PGlite.create(dir, loadDataDir ? { loadDataDir } : {});
  let shared: { close(): Promise<void> } | undefined;
  return {
    client,
    share: async (path, options) => { shared = await shareDatabase(client, path, options); },
    close: async () => {
      await shared?.close();
      await client.close();
    },
  };
}

/** The embedded database served by another process, through its socket (src/db/share.ts). */
async function openSharedSocket(path: string, dataDir: string): Promise<Store> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  // One connection, unnamed statements: every client shares PGlite's single session.
  guardNullSocketWrites();
  const client = postgres({ path, max: 1, prepare: false, onnotice: () => {}, connect_timeout: 10, backoff: () => RECONNECT_DELAY_S });
  try {
    await client`select 1`;
  } catch (e) {
    await client.end({ timeout: 1 }).catch(() => {});
    throw new PasserellesError('db.unreachable',
      `La base embarquée « ${dataDir} » est servie par un autre processus, mais son accès local (${path}) ne répond pas : ${(e as Error).message}`, 503);
  }
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    sharedBy: path,
    rows: <T>(query: ReturnType<typeof sql>) => rowsOf<T>(db, query),
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPostgres(url: string): Promise<Store> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  guardNullSocketWrites();
  const client = postgres(url, { onnotice: () => {}, max: 10, connect_timeout: 10, backoff: () => RECONNECT_DELAY_S });
  try {
    await client`select 1`;
  } catch (e) {
    await client.end({ timeout: 1 }).catch(() => {});
    throw new PasserellesError('db.unreachable',
      `Base PostgreSQL injoignable (${redactUrl(url)}) : ${(e as Error).message}`, 503);
  }
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    rows: <T>(query: ReturnType<typeof sql>) => rowsOf<T>(db, query),
    copyIn: (statement) => client.unsafe(statement).writable(),
    // On a connection of its own, closed once the copy is read: postgres.js leaves the connection
    // that served a `copy … to stdout` stuck, and the next query on it never answers
    // (porsager/postgres#499, #917; seen with 3.4.9).
    copyOut: async (statement) => {
      const own = postgres(url, { onnotice: () => {}, max: 1, connect_timeout: 10 });
      const release = () => { void own.end({ timeout: 0 }).catch(() => {}); };
      try {
        const stream = await own.unsafe(statement).readable();
        stream.once('end', release);
        stream.once('close', release);
        stream.once('error', release);
        return stream;
      } catch (e) {
        release();
        throw e;
      }
    },
    // a server gone away is no reason to fail a close (it would hide the error being reported)
    close: () => client.end({ timeout: 5 }).catch(() => {}),
  };
}

export async function migrateStore(store: Store): Promise<void> {
  if (store.kind === 'pglite') {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(store.db as never, { migrationsFolder });
  } else {
    const { migrate } = await import('drizzle-orm/postgres-js/migrator');
    await migrate(store.db as never, { migrationsFolder });
  }
}

/** Hides the password of a connection URL before it reaches a message or a log. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'URL invalide';
  }
}
