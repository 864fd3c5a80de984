/** The pino logger: always to stderr, so that stdout carries only results. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'passerelles' } }, pino.destination(2));
}
