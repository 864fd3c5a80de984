/**
 * postgres.js (3.4) can crash the process when the server goes away mid-transaction: a query
 * written on a connection that has just closed schedules its write for the next turn of the event
 * loop, which then finds no socket and throws `TypeError: Cannot read properties of null (reading
 * 'write')` from a timer, out of reach of any caller. The query it was for is never answered.
 *
 * The transaction that query belonged to is failed anyway, by the connection's close
 * (CONNECTION_CLOSED, « database unreachable » for the caller), and the pool opens new connections
 * when the server is back. `guardNullSocketWrites` takes that one error out of the uncaught path;
 * every other error keeps Node's default behaviour (on stderr, exit code 1) unless someone else
 * (a test runner) listens. Installed once per process, when the first PostgreSQL client opens.
 */

/** The stray TypeError of postgres.js's connection.js, recognised by its message and its frame. */
export function isNullSocketWrite(e: unknown): boolean {
  return e instanceof TypeError
    && /Cannot read properties of null \(reading 'write'\)/.test(e.message)
    && /postgres[\\/]src[\\/]connection\.js/.test(e.stack ?? '');
}

let installed = false;

function onUncaught(e: unknown): void {
  if (isNullSocketWrite(e)) return; // its query's transaction fails with CONNECTION_CLOSED: the caller is told there
  if (process.listenerCount('uncaughtException') > 1) return; // someone else (a test runner) handles it
  // Node's own behaviour without a listener: the error on stderr, exit code 1.
  process.removeListener('uncaughtException', onUncaught);
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
}

/** From now on, the stray write error of postgres.js is ignored (idempotent). */
export function guardNullSocketWrites(): void {
  if (installed) return;
  installed = true;
  process.on('uncaughtException', onUncaught);
}
