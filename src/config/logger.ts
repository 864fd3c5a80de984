/**
 * The pino logger: always to stderr, so that stdout carries only results. Lines are written
 * asynchronously (buffered by pino's SonicBoom, flushed when the process exits), so that a request
 * never waits for its log line to reach a slow terminal or pipe.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import { loggableError } from '../db/errors.ts';

export type { Logger };

/**
 * Every `err` logged goes through this: a failed query (or an error caused by one) is described
 * without its SQL parameters — record contents, the sha-256 of a key — whoever logs it.
 */
export function serializeError(e: unknown): unknown {
  const safe = loggableError(e);
  return safe instanceof Error ? pino.stdSerializers.err(safe) : withoutParams(safe);
}

/**
 * An error already serialized by pino's own serializer (a child logger's bindings may hold one): a failed
 * query keeps its type, code and the first words of its SQL; its message (which lists the
 * parameters), its stack and its parameters are dropped.
 */
function withoutParams(e: unknown): unknown {
  if (!e || typeof e !== 'object' || !Array.isArray((e as { params?: unknown }).params)) return e;
  const { type, code, query } = e as { type?: unknown; code?: unknown; query?: unknown };
  const sqlText = typeof query === 'string' ? query : '';
  return { type, ...(code === undefined ? {} : { code }), message: 'requête en échec (paramètres non journalisés)',
    query: sqlText.length > 120 ? `${sqlText.slice(0, 120)}…` : sqlText };
}

/** `destination`: stderr unless given (tests read the lines). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, base: { service: 'passerelles' }, serializers: { err: serializeError } },
    destination ?? pino.destination({ dest: 2, sync: false }));
}
