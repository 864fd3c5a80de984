/**
 * CSV rows → plain objects, per the contract: the header names the fields, lists are `|`-separated,
 * booleans `true`/`false`, an empty cell means the field is absent, numbers are parsed. The object
 * then goes through the same validation as a JSON line; a cell that cannot be read as its field's
 * type is an error on that field, reported with the other errors of the row.
 *
 * Leniency for French spreadsheets (documented, harmless for conforming files): a decimal comma
 * (« 12,5 »), spaces between thousands (« 95 000 »), VRAI/FAUX or any letter case for booleans,
 * and the French names of the pillars (« Lieux partagés | Logistique ») beside their codes.
 */
import type { EntityKind } from '../domain/types.ts';
import type { FieldError } from './issues.ts';
import { quote } from './issues.ts';
import { PILLAR_FIELDS, pillarOfName } from './pillar-names.ts';
import { contractFields, type CellKind } from './schemas.ts';
import { setOwn } from '../domain/validation.ts';

const cellKinds: Record<EntityKind, ReadonlyMap<string, CellKind>> = {
  structure: new Map(contractFields('structure').map((f) => [f.name, f.cell])),
  resource: new Map(contractFields('resource').map((f) => [f.name, f.cell])),
};

const NUMBER = /^[+-]?(\d+([.,]\d+)?|[.,]\d+)([eE][+-]?\d+)?$/;
const GROUPED = /^[+-]?\d{1,3}([ \u00A0\u202F]\d{3})+([.,]\d+)?$/;

/** A number cell, or undefined when the text is not a number. */
export function parseNumberCell(text: string): number | undefined {
  const compact = GROUPED.test(text) ? text.replace(/[ \u00A0\u202F]/g, '') : text;
  if (!NUMBER.test(compact)) return undefined;
  const n = Number(compact.replace(',', '.'));
  return Number.isFinite(n) ? n : undefined;
}

/** A boolean cell, or undefined when the text is neither true nor false. */
export function parseBooleanCell(text: string): boolean | undefined {
  const t = text.toLowerCase();
  if (t === 'true' || t === 'vrai') return true;
  if (t === 'false' || t === 'faux') return false;
  return undefined;
}

/** A `|`-separated list cell: items trimmed, empty items dropped. */
export const parseListCell = (text: string): string[] =>
  text.split('|').map((s) => s.trim()).filter((s) => s !== '');

type CellResult = { value: unknown } | { error: string };

function readCell(kind: CellKind, text: string): CellResult {
  switch (kind) {
    case 'number': {
      const n = parseNumberCell(text);
      return n === undefined ? { error: `nombre attendu, reçu ${quote(text)}` } : { value: n };
    }
    case 'boolean': {
      const b = parseBooleanCell(text);
      return b === undefined ? { error: `true ou false attendu, reçu ${quote(text)}` } : { value: b };
    }
    case 'list': return { value: parseListCell(text) };
    default: return { value: text };
  }
}

export interface CsvRowObject {
  /** The fields read; unknown columns are kept as text (they will land in `extra`). */
  value: Record<string, unknown>;
  /** Cells that could not be read as their field's type. */
  errors: FieldError[];
}

/** Converts one data row; `header` and `cells` have the same length (checked by the CSV reader). */
export function csvRowToObject(kind: EntityKind, header: readonly string[], cells: readonly string[]): CsvRowObject {
  const kinds = cellKinds[kind];
  const value: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  header.forEach((field, i) => {
    const text = (cells[i] ?? '').trim();
    if (text === '') return;
    const read = readCell(kinds.get(field) ?? 'string', text);
    if ('error' in read) errors.push({ field, code: 'import.bad_type', reason: read.error });
    else if (Object.hasOwn(PILLAR_FIELDS, field)) value[field] = Array.isArray(read.value) ? read.value.map(pillarOfName) : pillarOfName(text);
    else setOwn(value, field, read.value); // an unknown column may be called __proto__
  });
  return { value, errors };
}

/** Contract fields a CSV header must contain for rows of that kind to have a chance. */
export const requiredColumns = (kind: EntityKind): string[] =>
  contractFields(kind).filter((f) => f.required).map((f) => f.name);
