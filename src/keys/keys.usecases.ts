/**
 * API keys: `psk_` + 32 random bytes in base64url, stored as their sha-256. Creation checks the
 * role's scope (a delegate needs known régions, a structure key an existing structure) and gives the
 * key back once; authentication turns a presented key into a `Caller`, or refuses it.
 * Used by the `passerelles keys` command and the admin routes alike.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { PasserellesError } from '../domain/errors.ts';
import { toFieldIssues } from '../domain/validation.ts';
import type { ApiKey, KeysRepository } from './keys.repository.ts';
import { ROLES, type Caller } from '../access/access.policy.ts';

export const KEY_PREFIX = 'psk_';
const KEY_SHAPE = /^psk_[A-Za-z0-9_-]{43}$/;
/** Without an explicit expiry a key lives one year. */
export const DEFAULT_KEY_LIFETIME_DAYS = 365;

export const generateKey = (): string => `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');
const newKeyId = (): string => `key_${randomBytes(6).toString('hex')}`;

export const newKeySchema = z.strictObject({
  role: z.enum(ROLES).describe('admin (tout), delegate (ses régions), structure (sa structure)'),
  regions: z.array(z.string().regex(/^\d{2,3}$/, 'code INSEE de région attendu (ex. 53)'))
    .default([]).describe('Régions d’un délégué (codes INSEE, ex. 53 Bretagne, 76 Occitanie)'),
  structure_id: z.string().min(1).optional().describe('Structure d’une clé de rôle structure'),
  label: z.string().max(200).default('').describe('Libellé libre : à qui la clé est remise'),
  expires: z.iso.date().optional()
    .describe(`Dernier jour de validité (AAAA-MM-JJ, UTC) ; défaut : ${DEFAULT_KEY_LIFETIME_DAYS} jours`),
});
export type NewKeyInput = z.input<typeof newKeySchema>;

export interface KeyDeps {
  keys: KeysRepository;
  /** Whether a région code exists (from the geography). */
  isRegion(code: string): boolean;
  /** Whether a structure exists in the store (archived ones count: their key may still read). */
  structureExists(id: string): Promise<boolean>;
  now?: () => Date;
}

const fr = z.locales.fr();

/** Validates the request, checks the scope exists, stores the hash; returns the key once. */
export async function createApiKey(deps: KeyDeps, input: unknown): Promise<{ key: string; record: ApiKey }> {
  const parsed = newKeySchema.safeParse(input, { error: fr.localeError });
  if (!parsed.success) throw invalidKeyRequest(toFieldIssues(parsed.error.issues));
  const { role, label, structure_id: structureId, expires } = parsed.data;
  const regions = [...new Set(parsed.data.regions)].sort();
  const issues: { path: string; message: string }[] = [];
  if (role === 'delegate' && regions.length === 0) issues.push({ path: 'regions', message: 'Un délégué a au moins une région.' });
  if (role !== 'delegate' && regions.length > 0) issues.push({ path: 'regions', message: 'Seul un délégué a des régions.' });
  regions.forEach((code, i) => {
    if (!deps.isRegion(code)) issues.push({ path: `regions.${i}`, message: `Région inconnue : « ${code} ».` });
  });
  if (role === 'structure' && !structureId) issues.push({ path: 'structure_id', message: 'Une clé de structure nomme sa structure.' });
  if (role !== 'structure' && structureId) issues.push({ path: 'structure_id', message: 'Seule une clé de structure nomme une structure.' });
  if (role === 'structure' && structureId && !(await deps.structureExists(structureId))) {
    issues.push({ path: 'structure_id', message: `Structure inconnue : « ${structureId} ».` });
  }
  const now = deps.now?.() ?? new Date();
  const expiresAt = expires
    ? new Date(`${expires}T23:59:59.999Z`)
    : new Date(now.getTime() + DEFAULT_KEY_LIFETIME_DAYS * 86_400_000);
  if (expiresAt <= now) issues.push({ path: 'expires', message: 'La date d’expiration est passée.' });
  if (issues.length > 0) throw invalidKeyRequest(issues);

  const key = generateKey();
  const record = await deps.keys.insert({
    id: newKeyId(), keyHash: hashKey(key), role, regions, structureId: structureId ?? null, label, expiresAt,
  });
  return { key, record };
}

const invalidKeyRequest = (issues: { path: string; message: string }[]) =>
  new PasserellesError('keys.invalid', 'Demande de clé invalide : voir le détail des champs.', 400, issues);

export type KeyStatus = 'active' | 'revoked' | 'expired';

export function keyStatus(key: ApiKey, now: Date): KeyStatus {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && key.expiresAt <= now) return 'expired';
  return 'active';
}

/** The caller behind a presented key, or undefined for a malformed, unknown, revoked or expired one. */
export async function authenticate(keys: KeysRepository, presented: string, now: Date): Promise<Caller | undefined> {
  if (!KEY_SHAPE.test(presented)) return undefined;
  const key = await keys.findByHash(hashKey(presented));
  if (!key || keyStatus(key, now) !== 'active') return undefined;
  return { keyId: key.id, role: key.role, regions: key.regions, structureId: key.structureId };
}

/** A key as listed (never the key itself, never its hash). */
export function describeKey(key: ApiKey, now: Date) {
  return {
    id: key.id,
    label: key.label,
    role: key.role,
    regions: key.regions,
    structure_id: key.structureId,
    status: keyStatus(key, now),
    created_at: key.createdAt.toISOString(),
    expires_at: key.expiresAt?.toISOString() ?? null,
    revoked_at: key.revokedAt?.toISOString() ?? null,
  };
}
