/**
 * Checks one raw record of a file: contract validation, postal code → commune, and uniqueness of
 * its id within the file. Every problem of the record is gathered into one reject; a record
 * without problems comes out validated and placed, ready to be written.
 *
 * Duplicate ids: the first occurrence of an id claims it, whether it was accepted or rejected;
 * every later record with that id is rejected, naming the line of the first one. The memory this
 * takes is one map entry per distinct id of the file.
 */
import { validateRecord, type FieldError, type RecordOfKind } from '../contract/index.ts';
import type { EntityKind, Place } from '../domain/types.ts';
import type { Geography } from '../geo/geography.ts';
import type { RawRecord } from './records.ts';
import { makeReject, type Reject } from './rejects.ts';

export type PostalCodeResolver = Pick<Geography, 'resolvePostalCode'>;

export type Checked<K extends EntityKind> =
  | { ok: true; record: RecordOfKind[K]; place: Place }
  | { ok: false; reject: Reject };

/** The postal code to look up: the validated one, or the raw one when its own format was fine. */
function postalCodeToResolve(value: unknown, errors: FieldError[]): string | undefined {
  if (errors.some((e) => e.field === 'postal_code')) return undefined;
  const code = (value as Record<string, unknown> | undefined)?.postal_code;
  return typeof code === 'string' && /^\d{5}$/.test(code.trim()) ? code.trim() : undefined;
}

/** Line of the first record that had an id; negative when that record was rejected. */
type SeenIds = Map<string, number>;

function duplicateError(id: string, firstLine: number): FieldError {
  const fate = firstLine > 0 ? 'seule la première est importée' : 'elle-même rejetée';
  return {
    field: 'id', code: 'import.duplicate_id',
    reason: `identifiant « ${id} » déjà présent ligne ${Math.abs(firstLine)} du fichier (${fate})`,
  };
}

export function createRecordChecker<K extends EntityKind>(kind: K, geography: PostalCodeResolver, sourceName: string) {
  const seen: SeenIds = new Map();

  return function check(raw: RawRecord): Checked<K> {
    const validation = raw.value === undefined ? undefined : validateRecord(kind, raw.value);
    const errors: FieldError[] = [...raw.errors];
    if (validation && !validation.ok) errors.push(...validation.errors);
    const id = validation?.ok ? validation.record.id : validation?.id;

    const postalCode = validation?.ok ? validation.record.postal_code : postalCodeToResolve(raw.value, errors);
    const resolved = postalCode === undefined ? undefined : geography.resolvePostalCode(postalCode);
    if (postalCode !== undefined && !resolved) {
      errors.push({
        field: 'postal_code', code: 'import.unknown_postal_code',
        reason: `code postal « ${postalCode} » inconnu : aucune commune ne le porte`,
      });
    }

    const firstLine = id === undefined ? undefined : seen.get(id);
    if (id !== undefined && firstLine !== undefined) errors.push(duplicateError(id, firstLine));
    const accepted = errors.length === 0 && validation?.ok === true && resolved !== undefined;
    if (id !== undefined && firstLine === undefined) seen.set(id, accepted ? raw.line : -raw.line);

    if (accepted) return { ok: true, record: validation.record, place: resolved.place };
    return { ok: false, reject: makeReject(sourceName, raw.line, raw.raw, errors, id) };
  };
}
