/** Argument parsing shared by the commands: node's parseArgs with French error messages. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { invalid } from '../domain/errors.ts';
import { frenchParseError } from './flags.ts';

export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string, args: string[], options: T,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw invalid('cli.bad_arguments', `${command} : ${frenchParseError(e, options)} (voir passerelles ${command.split(' ')[0]} --help).`);
  }
}

/** Most results a match list gives (the engine's MAX_LIMIT, also the API's bound on `limit`). */
export const MAX_RESULTS = 200;

/** Reads a positive integer option; names the option in the error. */
export function intOption(command: string, name: string, value: string | undefined, fallback: number, min = 1, max = Infinity): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    const expected = max === Infinity ? `un entier ≥ ${min}` : `un entier de ${min} à ${max}`;
    throw invalid('cli.bad_arguments', `${command} : --${name} attend ${expected}, reçu « ${value} ».`);
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
