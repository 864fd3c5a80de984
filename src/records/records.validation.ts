/**
 * Validation of one record sent by a user (API, web form, preview): the same contract validation as the importer
 * (`validateRecord`), then its postal code resolved by the geography. Every bad field is listed,
 * with its path from the root of the body, in one 400 `request.invalid`.
 */
import { validateRecord, type RecordOfKind } from '../contract/index.ts';
import type { EntityKind, Place } from '../domain/types.ts';
import type { Geography } from '../geo/geography.ts';
import { invalidRequest, type FieldIssue } from '../domain/validation.ts';

/** Fields added to a record when it is shown; ignored when a client sends them back. */
export const READ_ONLY_FIELDS = ['place', 'status', 'archived_at', 'created_at', 'updated_at'] as const;

const KIND_LABEL: Record<EntityKind, string> = { structure: 'Structure', resource: 'Ressource' };

export function withoutReadOnly(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const copy = { ...(input as Record<string, unknown>) };
  for (const field of READ_ONLY_FIELDS) delete copy[field];
  return copy;
}

export interface Placed<K extends EntityKind> { record: RecordOfKind[K]; place: Place }

/** A valid, placed record, or a 400 listing every bad field (paths prefixed by `prefix`). */
export function validatePlaced<K extends EntityKind>(kind: K, input: unknown, geography: Geography, prefix = ''): Placed<K> {
  const path = (field?: string) => [prefix, field].filter(Boolean).join('.');
  const validation = validateRecord(kind, withoutReadOnly(input));
  const issues: FieldIssue[] = validation.ok ? [] : validation.errors.map((e) => ({ path: path(e.field), message: e.reason, code: e.code }));
  const postalCode = validation.ok
    ? validation.record.postal_code
    : (input as Record<string, unknown> | null)?.postal_code;
  const postalCodeOk = !issues.some((i) => i.path === path('postal_code'));
  const resolved = typeof postalCode === 'string' && postalCodeOk ? geography.resolvePostalCode(postalCode.trim()) : undefined;
  if (typeof postalCode === 'string' && postalCodeOk && !resolved) {
    issues.push({
      path: path('postal_code'), code: 'import.unknown_postal_code',
      message: `code postal « ${postalCode.trim()} » inconnu : aucune commune ne le porte`,
    });
  }
  if (!validation.ok || !resolved || issues.length > 0) {
    const n = issues.length;
    throw invalidRequest(issues, `${KIND_LABEL[kind]} invalide : ${n} champ${n > 1 ? 's' : ''} à corriger.`);
  }
  return { record: validation.record, place: resolved.place };
}
