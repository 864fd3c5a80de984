/**
 * Turns zod issues into the field errors a user reads: which field, why in French, and a dotted
 * code. The offending value is looked up in the normalised input, so messages can quote it.
 */
import type { z } from 'zod';
import type { RejectCode } from './codes.ts';

export interface FieldError {
  /** Contract field (or CSV column) at fault; absent for record-level errors. */
  field?: string;
  /** French explanation quoting the value received. */
  reason: string;
  code: RejectCode;
}

type Issue = z.core.$ZodIssue;

const MAX_QUOTE = 60;

/** « valeur » quoted for a message, shortened when long; numbers and booleans as they are. */
export function quote(value: unknown): string {
  if (typeof value === 'string') {
    const s = value.length > MAX_QUOTE ? `${value.slice(0, MAX_QUOTE)}…` : value;
    return `« ${s} »`;
  }
  if (Array.isArray(value)) return 'une liste';
  if (value !== null && typeof value === 'object') return 'un objet';
  return String(value);
}

/** What a JSON value is, in French, for « texte attendu, reçu un nombre (12) ». */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'rien';
  if (value === null) return 'null';
  if (typeof value === 'string') return `le texte ${quote(value)}`;
  if (typeof value === 'number') return `le nombre ${value}`;
  if (typeof value === 'boolean') return `le booléen ${value}`;
  if (Array.isArray(value)) return 'une liste';
  return 'un objet';
}

const EXPECTED: Record<string, string> = {
  string: 'texte attendu (entre guillemets en JSON)',
  number: 'nombre attendu',
  boolean: 'true ou false attendu',
  array: 'liste attendue',
  object: 'objet attendu',
};

function valueAt(input: Record<string, unknown>, path: PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) v = (v as Record<PropertyKey, unknown> | undefined)?.[key];
  return v;
}

/** Position in a list, 1-based, for « en position 2 ». */
const position = (path: PropertyKey[]) => (typeof path[1] === 'number' ? ` (élément ${path[1] + 1} de la liste)` : '');

function fromInvalidType(issue: Extract<Issue, { code: 'invalid_type' }>, value: unknown, field: string): FieldError {
  if (value === undefined && issue.path.length === 1) {
    return { field, code: 'import.missing_field', reason: 'champ obligatoire absent ou vide' };
  }
  if (issue.expected === 'int') {
    return { field, code: 'import.not_integer', reason: `nombre entier attendu, reçu ${value}` };
  }
  const received = `${position(issue.path)}, reçu ${describeValue(value)}`;
  if (field === 'postal_code') {
    return { field, code: 'import.bad_postal_code', reason: `code postal à 5 chiffres attendu, en texte${received}` };
  }
  const expected = EXPECTED[issue.expected] ?? `${issue.expected} attendu`;
  return { field, code: 'import.bad_type', reason: `${expected}${received}` };
}

function fromTooSmall(issue: Extract<Issue, { code: 'too_small' }>, value: unknown, field: string): FieldError {
  if (issue.origin === 'array') {
    return { field, code: 'import.missing_field', reason: 'liste vide : au moins une valeur attendue' };
  }
  if (issue.origin === 'string') return { field, code: 'import.missing_field', reason: 'champ obligatoire vide' };
  if (typeof value === 'number' && value < 0) {
    const bound = issue.inclusive ? '≥ 0' : '> 0';
    return { field, code: 'import.negative_number', reason: `nombre négatif (${value}) : attendu ${bound}` };
  }
  return { field, code: 'import.not_positive', reason: `doit être strictement positif, reçu ${value}` };
}

function fromInvalidFormat(value: unknown, field: string): FieldError {
  if (field === 'postal_code') {
    const lost = typeof value === 'string' && /^\d{4}$/.test(value) ? ' (zéro initial perdu par un tableur ?)' : '';
    return { field, code: 'import.bad_postal_code', reason: `code postal à 5 chiffres attendu, reçu ${quote(value)}${lost}` };
  }
  return { field, code: 'import.bad_date', reason: `date réelle au format AAAA-MM-JJ attendue, reçu ${quote(value)}` };
}

function fromCustom(issue: Extract<Issue, { code: 'custom' }>, value: unknown, field: string): FieldError {
  const params = (issue.params ?? {}) as { code?: RejectCode; lower?: string; lowerValue?: unknown };
  const code = params.code ?? 'import.bad_type';
  if (code === 'import.bad_date_range') {
    return { field, code, reason: `fin de disponibilité ${value} antérieure au début ${params.lowerValue} (${params.lower})` };
  }
  if (code === 'import.bad_range') {
    return { field, code, reason: `montant maximal ${value} inférieur au minimum ${params.lowerValue} (${params.lower})` };
  }
  return { field, code, reason: issue.message };
}

/** One zod issue → one French field error. `input` is the normalised object that was parsed. */
export function toFieldError(issue: Issue, input: Record<string, unknown>): FieldError {
  const field = String(issue.path[0] ?? '');
  const value = valueAt(input, issue.path);
  switch (issue.code) {
    case 'invalid_type': return fromInvalidType(issue, value, field);
    case 'invalid_value':
      return {
        field, code: 'import.bad_enum',
        reason: `valeur inconnue ${quote(value)}${position(issue.path)} ; attendu : ${issue.values.join(', ')}`,
      };
    case 'too_small': return fromTooSmall(issue, value, field);
    case 'invalid_format': return fromInvalidFormat(value, field);
    case 'custom': return fromCustom(issue, value, field);
    default: return { field, code: 'import.bad_type', reason: `valeur refusée ${quote(value)} (${issue.message})` };
  }
}
