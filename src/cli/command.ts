/**
 * What every CLI command gets: validated configuration, a logger on stderr, a way to open the
 * store (closed for it afterwards), and the streams to print on. Commands return an exit code:
 * 0 success, 2 done but some input was rejected, 1 fatal error.
 */
import type { Config } from '../config/config.ts';
import type { Logger } from '../config/logger.ts';
import type { Store } from '../db/open.ts';

export interface CliContext {
  config: Config;
  logger: Logger;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  withStore<T>(fn: (store: Store) => Promise<T>): Promise<T>;
}

export interface Command {
  name: string;
  summary: string;
  /** Full French help text shown by `passerelles NAME --help`. */
  help: string;
  run(args: string[], ctx: CliContext): Promise<number>;
}

export const EXIT = { ok: 0, fatal: 1, rejected: 2 } as const;
