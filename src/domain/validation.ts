/**
 * Validation with zod below the edges: French messages (zod's `fr` locale), every issue turned
 * into a field issue (dotted path, French reason), and one error `request.invalid` (400) carrying
 * them. The API and the command line present the same issues, each naming its field.
 */
import { z } from 'zod';
import { PasserellesError } from './errors.ts';

/** One bad field of a request: dotted path from the root of the body or query, French reason. */
/** A JSON object (not null, not an array): what a record, a patch or a body must be. */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Sets an own, enumerable property, whatever its name: `obj[key] = value` with the key `__proto__`
 * would change the object's prototype instead (the field lost, the object polluted). For objects
 * built from a client's keys (unknown fields kept in `extra`, a merge patch, CSV columns).
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A client object's own property (`undefined` for `__proto__` unless it is really there). */
export const getOwn = (source: Record<string, unknown>, key: string): unknown =>
  (Object.hasOwn(source, key) ? source[key] : undefined);

export interface FieldIssue { path: string; message: string; code?: string }

export const french = z.locales.fr();

/** Turns zod issues into field issues; `prefix` roots them (e.g. `structure` in a preview body). */
export function toFieldIssues(issues: readonly z.core.$ZodIssue[], prefix: (string | number)[] = []): FieldIssue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key].join('.'), message: 'Champ inconnu.' }));
    }
    return [{ path: path.join('.'), message: issue.message }];
  });
}

/**
 * A count in a query (`limit`): an integer from `min` to `max`, `fallback` when absent. From a query
 * string only plain decimal digits are read (`20`); `0x10`, `1e1`, ` 5` or an empty value are
 * refused, where `z.coerce.number()` would have read them as numbers.
 */
export const countParam = (min: number, max: number, fallback: number) => z.preprocess(
  (v) => (typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : v),
  z.number({ error: 'nombre entier en chiffres décimaux attendu (ex. 20)' }).int().min(min).max(max).default(fallback),
);

export const invalidRequest = (issues: FieldIssue[], message = 'Requête invalide : voir le détail des champs.') =>
  new PasserellesError('request.invalid', message, 400, issues);

/** Parses a value with a schema; every issue becomes a field issue rooted at `where`. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where?: string): z.output<S> {
  const result = schema.safeParse(value, { error: french.localeError });
  if (result.success) return result.data;
  throw invalidRequest(toFieldIssues(result.error.issues, where ? [where] : []));
}
