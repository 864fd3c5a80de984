/**
 * Validation of one record against the contract: normalise, parse with the zod schema, and
 * translate every issue into a French field error. Used by the importer and the HTTP API alike.
 *
 * Normalisation, before the schema sees the record:
 * - strings are trimmed; an empty string or `null` means the field is absent (so a required field
 *   left empty is « champ obligatoire absent ou vide »);
 * - list items are trimmed and empty items dropped; an empty list means the field is absent (the
 *   contract: « empty or absent = everyone »), so JSON `[]` and an empty CSV cell give the same record;
 * - fields the contract does not list are moved, untouched, to `extra` (kept, never rejected);
 *   an `extra` object in the input (a record exported then imported again) is merged into it.
 */
import { badCharacter, findBadText } from '../domain/characters.ts';
import type { EntityKind, ResourceRecord, StructureRecord } from '../domain/types.ts';
import { toFieldError, type FieldError } from './issues.ts';
import { contractFields, schemas } from './schemas.ts';
import { setOwn } from '../domain/validation.ts';

export type Validation<R> =
  | { ok: true; record: R }
  | { ok: false; errors: FieldError[]; /** the record's id when it could be read */ id?: string };

export interface RecordOfKind {
  structure: StructureRecord;
  resource: ResourceRecord;
}

const fieldNames: Record<EntityKind, ReadonlySet<string>> = {
  structure: new Set(contractFields('structure').map((f) => f.name)),
  resource: new Set(contractFields('resource').map((f) => f.name)),
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Trimmed string, or undefined for an empty one; lists cleaned item by item; other values as they are. */
function clean(value: unknown): unknown {
  if (value === null) return undefined;
  if (typeof value === 'string') {
    const t = value.trim();
    return t === '' ? undefined : t;
  }
  if (Array.isArray(value)) {
    const items = value.map(clean).filter((v) => v !== undefined);
    return items.length === 0 ? undefined : items;
  }
  return value;
}

export interface Normalised {
  fields: Record<string, unknown>;
  extra: Record<string, unknown>;
}

/** Splits an input object into cleaned contract fields and untouched extra fields. */
export function normalise(kind: EntityKind, input: Record<string, unknown>): Normalised {
  const known = fieldNames[kind];
  const fields: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (known.has(key)) {
      const v = clean(value);
      if (v !== undefined) fields[key] = v;
    } else if (key === 'extra' && isPlainObject(value)) {
      for (const [k, v] of Object.entries(value)) setOwn(extra, k, v);
    } else {
      setOwn(extra, key, value);
    }
  }
  return { fields, extra };
}

/** Validates any value (parsed JSON line, converted CSV row, API body) as a record of that kind. */
export function validateRecord<K extends EntityKind>(kind: K, input: unknown): Validation<RecordOfKind[K]> {
  if (!isPlainObject(input)) {
    return { ok: false, errors: [{ code: 'import.not_an_object', reason: 'un objet JSON {…} est attendu' }] };
  }
  const bad = findBadText(input);
  if (bad.length > 0) {
    const id = typeof input.id === 'string' && !badCharacter(input.id) ? input.id.trim() : undefined;
    return { ok: false, id, errors: bad.map((b) => ({ field: b.path, code: 'import.bad_text', reason: b.reason })) };
  }
  const { fields, extra } = normalise(kind, input);
  const parsed = schemas[kind].safeParse(fields);
  if (!parsed.success) {
    const id = typeof fields.id === 'string' ? fields.id : undefined;
    return { ok: false, id, errors: parsed.error.issues.map((issue) => toFieldError(issue, fields)) };
  }
  const record = { ...parsed.data } as Record<string, unknown>;
  if (Object.keys(extra).length > 0) record.extra = extra;
  return { ok: true, record: record as unknown as RecordOfKind[K] };
}

export const validateStructure = (input: unknown) => validateRecord('structure', input);
export const validateResource = (input: unknown) => validateRecord('resource', input);
