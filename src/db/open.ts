/**
 * Opens the store: a PostgreSQL server through postgres.js when a URL is given, otherwise the
 * embedded PGlite database in a data folder. Both get the same drizzle schema and migrations.
 * Nothing is opened at import time: callers pass the options in and close what they open.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { PasserellesError } from '../domain/errors.ts';
import { lockDataDir } from './lock.ts';
import { schema } from './schema.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Store {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Runs raw SQL and returns rows as plain objects, whichever driver is underneath. */
  rows<T = Record<string, unknown>>(query: ReturnType<typeof sql>): Promise<T[]>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres://… to use a server; absent for the embedded database. */
  databaseUrl?: string;
  /** Data folder of the embedded database; `memory://` keeps it in memory (tests). */
  dataDir: string;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
}

const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations');

export async function openStore(options: OpenOptions): Promise<Store> {
  const store = options.databaseUrl ? await openPostgres(options.databaseUrl) : await openPglite(options.dataDir);
  if (options.migrate !== false) await migrateStore(store);
  return store;
}

async function openPglite(dataDir: string): Promise<Store> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) await mkdir(resolve(dataDir), { recursive: true });
  const unlock = inMemory ? () => {} : lockDataDir(resolve(dataDir));
  let client: InstanceType<typeof PGlite>;
  try {
    client = await PGlite.create(inMemory ? dataDir : resolve(dataDir));
  } catch (e) {
    unlock();
    throw new PasserellesError('db.open_failed',
      `Impossible d'ouvrir la base embarquée dans « ${dataDir} » : ${(e as Error).message}`, 500);
  }
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    rows: async <T>(query: ReturnType<typeof sql>) => (await db.execute(query) as unknown as { rows: T[] }).rows,
    close: async () => {
      try { await client.close(); } finally { unlock(); }
    },
  };
}

async function openPostgres(url: string): Promise<Store> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const client = postgres(url, { onnotice: () => {}, max: 10, connect_timeout: 10 });
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
    rows: async <T>(query: ReturnType<typeof sql>) => [...(await db.execute(query) as unknown as T[])],
    close: () => client.end({ timeout: 5 }),
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
