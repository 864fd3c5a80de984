/**
 * The pino logger: always to stderr, so that stdout carries only results. Lines are written
 * asynchronously (buffered by pino's SonicBoom, flushed when the process exits), so that a request
 * never waits for its log line to reach a slow terminal or pipe.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'passerelles' } }, pino.destination({ dest: 2, sync: false }));
}
