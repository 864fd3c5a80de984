/**
 * Canonical form of a record and its content hash: the same record always hashes the same,
 * whatever the key order of the file or whether it came from JSON Lines or CSV. An import that
 * brings a record whose hash is already stored leaves the row untouched.
 */
import { createHash } from 'node:crypto';
import type { Place } from '../domain/types.ts';
import { setOwn } from '../domain/validation.ts';

/** JSON with object keys sorted at every depth and undefined values left out. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) setOwn(out, key, sortKeys(v));
  }
  return out;
}

/**
 * sha-256 (hex) of the validated record and the place its postal code resolved to. The place is
 * part of the hash so that a corrected geography (new coordinates, a renamed commune) updates
 * the rows on the next import even when the source file did not change.
 */
export function contentHash(record: object, place: Place): string {
  return createHash('sha256').update(canonicalJson({ record, place })).digest('hex');
}
