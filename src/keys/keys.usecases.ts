/**
 * API keys: `psk_` + 32 random bytes in base64url, stored as their sha-256. Creation checks the
 * role's scope (a delegate needs known régions, a structure key an existing structure) and gives the
 * key back once; authentication turns a presented key into a `Caller`, or refuses it.
 * Used by the `passerelles keys` command and the admin routes alike.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { french, toFieldIssues } from '../domain/validation.ts';
import type { ApiKey, KeysRepository } from './keys.repository.ts';
import { keysAccess, ROLES, type Caller } from '../access/access.policy.ts';
import { actorOf, type AuditActor } from '../audit/audit.repository.ts';
import type { Circuit } from '../db/circuit.ts';
import type { Store } from '../db/open.ts';
import type { Geography } from '../geo/geography.ts';
import { createRecordsRepository } from '../records/records.repository.ts';
import { createKeysRepository } from './keys.repository.ts';
import { keyErrors } from './keys.errors.ts';

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
export interface KeyDeps {
  keys: KeysRepository;
  /** Whether a région code exists (from the geography). */
  isRegion(code: string): boolean;
  /** Whether a structure exists in the store (archived ones count: their key may still read). */
  structureExists(id: string): Promise<boolean>;
  now?: () => Date;
  /** Who creates the key (the audit entry is written with it). */
  actor: AuditActor;
}


/** Validates the request, checks the scope exists, stores the hash; returns the key once. */
export async function createApiKey(deps: KeyDeps, input: unknown): Promise<{ key: string; record: ApiKey }> {
  const parsed = newKeySchema.safeParse(input, { error: french.localeError });
  if (!parsed.success) throw keyErrors.invalid(toFieldIssues(parsed.error.issues));
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
  if (issues.length > 0) throw keyErrors.invalid(issues);

  const key = generateKey();
  const record = await deps.keys.insert({
    id: newKeyId(), keyHash: hashKey(key), role, regions, structureId: structureId ?? null, label, expiresAt,
  }, deps.actor);
  return { key, record };
}


export type KeyStatus = 'active' | 'revoked' | 'expired';

export function keyStatus(key: ApiKey, now: Date): KeyStatus {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && key.expiresAt <= now) return 'expired';
  return 'active';
}

/**
 * The caller behind a presented key, or undefined for a malformed, unknown, revoked or expired one.
 * Answered at once (no promise) when the key is in the cache: a request served from memory then
 * runs without waiting a turn of the event loop (see src/api/turns.ts).
 */
export function authenticate(
  keys: KeysRepository, presented: string, now: Date, cache?: KeyCache, circuit?: Circuit,
): Caller | undefined | Promise<Caller | undefined> {
  if (!KEY_SHAPE.test(presented)) return undefined;
  const hash = hashKey(presented);
  const cached = cache?.get(hash);
  if (cached) return callerOf(cached.key, now);
  return lookUp(keys, hash, cache, circuit).then(({ key }) => callerOf(key, now));
}

function callerOf(key: ApiKey | undefined, now: Date): Caller | undefined {
  if (!key || keyStatus(key, now) !== 'active') return undefined;
  return { keyId: key.id, role: key.role, regions: key.regions, structureId: key.structureId };
}

/**
 * A key from the database. While the database is unreachable (the circuit open, or this very call
 * refused), a key this process checked before and has not forgotten since (a revocation here
 * forgets it at once) is trusted from the cache, up to KEY_STALE_MS: requests served from memory
 * (matches) keep working for known keys. An unknown key then fails fast (503).
 */
async function lookUp(keys: KeysRepository, hash: string, cache?: KeyCache, circuit?: Circuit): Promise<{ key: ApiKey | undefined }> {
  if (circuit?.isOpen()) return cache?.getStale(hash) ?? Promise.reject(circuit.openError());
  try {
    const key = await keys.findByHash(hash);
    cache?.set(hash, key);
    return { key };
  } catch (e) {
    const stale = circuit?.failure(e) ? cache?.getStale(hash) : undefined;
    if (stale) return stale;
    throw e;
  }
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

/** How long a key checked against the database is trusted without asking again (revocations by another process). */
export const KEY_CACHE_MS = 60_000;
/** How long a known key stays usable from the cache while the database is unreachable. */
export const KEY_STALE_MS = 6 * 3_600_000;
/** How long an unknown key is remembered as unknown (a key created by another process works after this). */
const UNKNOWN_KEY_CACHE_MS = 5_000;
const MAX_CACHED_KEYS = 10_000;

/** How often, at most, a process asks the database which keys other processes revoked (off the request path). */
export const REVOCATION_CHECK_MS = 1_000;

/**
 * Keys already checked, by hash, so that a request does not go to the database for its key; one
 * cache per database in a process (every `createKeys` over the same store shares it). A revocation
 * or creation in this process invalidates at once (`forget`); one in another process (the command
 * line on a shared server, another instance) is seen within about REVOCATION_CHECK_MS (a request
 * starts, without waiting for it, a check of the keys revoked since the last one), and KEY_CACHE_MS
 * bounds whatever else may change. `forget` is also the hook for a LISTEN/NOTIFY. Expiry is
 * checked on every request against the cached key.
 */
export function createKeyCache(now: () => Date) {
  const entries = new Map<string, { key: ApiKey | undefined; checkedAt: number }>();
  return {
    get(hash: string): { key: ApiKey | undefined } | undefined {
      const entry = entries.get(hash);
      if (!entry) return undefined;
      const age = now().getTime() - entry.checkedAt;
      return age >= 0 && age < (entry.key ? KEY_CACHE_MS : UNKNOWN_KEY_CACHE_MS) ? entry : undefined;
    },
    /** A known key checked within KEY_STALE_MS (only while the database cannot be asked). */
    getStale(hash: string): { key: ApiKey } | undefined {
      const entry = entries.get(hash);
      if (!entry?.key) return undefined;
      const age = now().getTime() - entry.checkedAt;
      return age >= 0 && age < KEY_STALE_MS ? { key: entry.key } : undefined;
    },
    set(hash: string, key: ApiKey | undefined): void {
      if (entries.size >= MAX_CACHED_KEYS) entries.clear();
      entries.set(hash, { key, checkedAt: now().getTime() });
    },
    /** Forgets a key (by id) or a key hash: the next request checks it in the database. */
    forget(which: { keyId?: string; hash?: string }): void {
      if (which.hash) entries.delete(which.hash);
      if (which.keyId) for (const [hash, entry] of entries) if (entry.key?.id === which.keyId) entries.delete(hash);
    },
  };
}

export type KeyCache = ReturnType<typeof createKeyCache>;

const caches = new WeakMap<object, { cache: KeyCache; checkedAt: number }>();

export interface KeysDeps {
  store: Store;
  geography: Pick<Geography, 'region'>;
  now?: () => Date;
  /** The database's circuit breaker: while open, keys are checked from the cache (see lookUp). */
  circuit?: Circuit;
}

/** API keys as every entry point manages them: created, listed and revoked by admins, checked on each request. */
export function createKeys(deps: KeysDeps) {
  const keys = createKeysRepository(deps.store);
  const records = createRecordsRepository(deps.store);
  const now = deps.now ?? (() => new Date());
  const shared = caches.get(deps.store.db) ?? { cache: createKeyCache(() => new Date()), checkedAt: Date.now() };
  caches.set(deps.store.db, shared);
  const { cache } = shared;
  /** Forgets the keys revoked by other processes since the last check (at most every REVOCATION_CHECK_MS). */
  const checkRevocations = () => {
    const started = Date.now();
    if (started - shared.checkedAt < REVOCATION_CHECK_MS || deps.circuit?.isOpen()) return;
    const since = new Date(shared.checkedAt - REVOCATION_CHECK_MS); // overlap: clocks of processes differ a little
    shared.checkedAt = started;
    keys.revokedSince(since).then((ids) => ids.forEach((keyId) => cache.forget({ keyId })), (e: unknown) => {
      shared.checkedAt = 0;
      deps.circuit?.failure(e);
    });
  };
  const adminOnly = (caller: Caller) => {
    if (keysAccess(caller) !== 'allow') throw keyErrors.adminOnly();
  };
  return {
    repository: keys,
    /** Validates the request, checks the scope exists, stores the hash; returns the key once. */
    async create(caller: Caller, input: unknown) {
      adminOnly(caller);
      const created = await createApiKey({
        keys,
        isRegion: (code) => deps.geography.region(code) !== undefined,
        structureExists: async (id) => (await records.getStructure(id)) !== undefined,
        now,
        actor: actorOf(caller),
      }, input);
      cache.forget({ hash: hashKey(created.key) });
      return created;
    },
    async list(caller: Caller): Promise<ApiKey[]> {
      adminOnly(caller);
      return keys.list();
    },
    async revoke(caller: Caller, id: string): Promise<ApiKey> {
      adminOnly(caller);
      const revoked = await keys.revoke(id, now(), actorOf(caller));
      if (!revoked) throw keyErrors.notFound(id);
      cache.forget({ keyId: id });
      return revoked;
    },
    /** Checks a presented key, from the cache when it was checked recently (see createKeyCache). */
    authenticate: (presented: string) => {
      checkRevocations();
      return authenticate(keys, presented, now(), cache, deps.circuit);
    },
    /** Forgets a key revoked or changed elsewhere (another process, another instance): the hook for a NOTIFY. */
    forget: (keyId: string) => cache.forget({ keyId }),
    describe: (key: ApiKey) => describeKey(key, now()),
  };
}

export type Keys = ReturnType<typeof createKeys>;
