/** Argument parsing shared by the commands: node's parseArgs with French error messages. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { invalid } from '../domain/errors.ts';

export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string, args: string[], options: T,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw invalid('cli.bad_arguments', `${command} : ${(e as Error).message} (voir passerelles ${command} --help)`);
  }
}

/** Reads a positive integer option; names the option in the error. */
export function intOption(command: string, name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw invalid('cli.bad_arguments', `${command} : --${name} attend un entier ≥ ${min}, reçu « ${value} ».`);
  }
  return n;
}

/** Reads a YYYY-MM-DD date option. */
export function dateOption(command: string, name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))
    || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw invalid('cli.bad_arguments', `${command} : --${name} attend une date AAAA-MM-JJ, reçu « ${value} ».`);
  }
  return value;
}
