/**
 * One run at a time, whatever the number of processes. On a PostgreSQL server: a transaction-level
 * advisory lock held by a transaction that lasts the run (released by the server if the process
 * dies: kill -9 included). On the embedded database only one process can open the data folder
 * (src/db/lock.ts), and within it the promise below serialises the runs.
 */
import { sql } from 'drizzle-orm';
import { inTransaction, rowsOf, type Db, type Store } from '../db/open.ts';
import { PasserellesError } from '../domain/errors.ts';

/** Key of the advisory lock: "PASSBAT" as a number, taken by nothing else. */
export const RUN_LOCK_KEY = 0x50415353424154;

export const busyError = () => new PasserellesError('batch.busy',
  'Un calcul de nuit est déjà en cours dans un autre processus : il reprendra ou terminera ce calcul.', 409);

let inProcess: Promise<unknown> | undefined;

async function tryLock(tx: Db): Promise<boolean> {
  const [row] = await rowsOf<{ locked: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${RUN_LOCK_KEY}) as locked`);
  return row.locked === true;
}

/** Runs `fn` holding the run lock; `batch.busy` (409) at once if another holds it. */
export async function withRunLock<T>(store: Store, fn: () => Promise<T>): Promise<T> {
  if (inProcess) throw busyError();
  const work = store.kind === 'pglite'
    ? fn()
    : inTransaction(store.db, async (tx) => {
      if (!(await tryLock(tx))) throw busyError();
      return fn();
    });
  inProcess = work;
  try {
    return await work;
  } finally {
    inProcess = undefined;
  }
}
