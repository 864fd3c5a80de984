/**
 * What may be said of a database error. A failed query (drizzle's DrizzleQueryError) carries its
 * SQL text and its parameters — record contents, the sha-256 of a key — in its message: none of it
 * may reach a log line or a client. `describeDbError` keeps what helps (the driver's code and
 * message, the first words of the query) and `isUnavailable` tells an unreachable database (503,
 * try again) from a failed query (500).
 */

interface QueryError { query: string; params: unknown[]; cause?: unknown }

const isQueryError = (e: unknown): e is QueryError =>
  e instanceof Error && typeof (e as Partial<QueryError>).query === 'string' && Array.isArray((e as Partial<QueryError>).params);

/** The driver's own error under a failed query, or the error itself. */
export const rootCause = (e: unknown): unknown => (isQueryError(e) && e.cause !== undefined ? e.cause : e);

/** Connection errors of postgres.js and Node, PostgreSQL's « connection exception » class (08) and shutdowns (57P0x). */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', 'NOT_TAGGED_CALL',
  'CIRCUIT_OPEN', // circuit.ts: a call not even tried while the database is known unreachable
  '57P01', '57P02', '57P03', '53300',
]);

/** True when the database could not be reached (or went away): the request may succeed later. */
export function isUnavailable(e: unknown): boolean {
  const cause = rootCause(e) as { code?: unknown; message?: unknown; errors?: unknown[] } | undefined;
  if (!cause || typeof cause !== 'object') return false;
  const code = typeof cause.code === 'string' ? cause.code : '';
  if (UNAVAILABLE_CODES.has(code) || code.startsWith('08')) return true;
  if (Array.isArray(cause.errors) && cause.errors.some(isUnavailable)) return true; // AggregateError of a dual-stack connect
  return typeof cause.message === 'string' && /PGlite is closed|Connection terminated|write after end/i.test(cause.message);
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** A database error as a log line may show it: no parameters, no values, the SQL cut short. */
export function describeDbError(e: unknown): Record<string, unknown> {
  const cause = rootCause(e) as Error & { code?: unknown; severity?: unknown } | undefined;
  const described: Record<string, unknown> = {
    type: cause instanceof Error ? cause.constructor.name : typeof cause,
    message: clip(cause instanceof Error ? cause.message : String(cause), 300),
  };
  if (cause && typeof cause.code === 'string') described.code = cause.code;
  if (isQueryError(e)) described.query = clip(e.query, 120);
  if (cause instanceof Error && cause.stack) described.stack = cause.stack.split('\n').slice(0, 8).join('\n');
  return described;
}

/** A failed query in an error's chain of causes (the error itself included). */
function queryErrorIn(e: unknown): QueryError | undefined {
  for (let c = e, depth = 0; c && depth < 8; c = (c as { cause?: unknown }).cause, depth++) if (isQueryError(c)) return c;
  return undefined;
}

/** An error safe to log: database errors described without their parameters, others as they are. */
export function loggableError(e: unknown): unknown {
  if (isQueryError(e) || isQueryError(rootCause(e))) return describeDbError(e);
  const inner = queryErrorIn(e);
  if (inner) { // an error wrapping a failed query: its own words, the query described
    const { code } = e as { code?: unknown };
    return {
      type: e instanceof Error ? e.constructor.name : typeof e, message: clip(e instanceof Error ? e.message : String(e), 300),
      ...(typeof code === 'string' ? { code } : {}), cause: describeDbError(inner),
    };
  }
  const code = (e as { code?: unknown } | undefined)?.code;
  if (e instanceof Error && typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return describeDbError(e); // a PostgresError
  return e;
}
