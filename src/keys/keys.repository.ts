/**
 * Storage of API keys. Only the sha-256 of a key is stored: the key itself exists once, in the
 * answer to its creation. Rows are never deleted: revoking sets `revoked_at`, so the audit trail
 * keeps who held which scope. Creating and revoking write their audit entry (key.created with the
 * role and scope, key.revoked) in the same transaction — never the key or its hash.
 */
import { and, asc, eq, gte, isNull } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { apiKeys } from '../db/schema.ts';
import type { Role } from '../access/access.policy.ts';
import { writeAudit, type AuditActor } from '../audit/audit.repository.ts';

export interface ApiKey {
  id: string;
  label: string;
  role: Role;
  regions: string[];
  structureId: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export interface NewApiKey extends Omit<ApiKey, 'createdAt' | 'revokedAt'> { keyHash: string }

export interface KeysRepository {
  /** Stores the key and the audit entry of its creation by `by`, in one transaction. */
  insert(key: NewApiKey, by: AuditActor): Promise<ApiKey>;
  findByHash(keyHash: string): Promise<ApiKey | undefined>;
  get(id: string): Promise<ApiKey | undefined>;
  list(): Promise<ApiKey[]>;
  /** Ids of the keys revoked at or after an instant (what other processes revoked). */
  revokedSince(at: Date): Promise<string[]>;
  /** Sets revoked_at (first revocation wins, with its audit entry by `by`); undefined when the id does not exist. */
  revoke(id: string, at: Date, by: AuditActor): Promise<ApiKey | undefined>;
}

const columns = {
  id: apiKeys.id, label: apiKeys.label, role: apiKeys.role, regions: apiKeys.regions,
  structureId: apiKeys.structureId, createdAt: apiKeys.createdAt, expiresAt: apiKeys.expiresAt,
  revokedAt: apiKeys.revokedAt,
};

const toKey = (row: typeof apiKeys.$inferSelect | Omit<typeof apiKeys.$inferSelect, 'keyHash'>): ApiKey => ({
  id: row.id,
  label: row.label,
  role: row.role as Role,
  regions: row.regions,
  structureId: row.structureId,
  createdAt: row.createdAt,
  expiresAt: row.expiresAt,
  revokedAt: row.revokedAt,
});

export function createKeysRepository({ db }: { db: Db }): KeysRepository {
  return {
    async insert(key, by) {
      return db.transaction(async (tx) => {
        const [row] = await tx.insert(apiKeys).values(key).returning(columns);
        await writeAudit(tx, {
          actor: by, action: 'key.created', recordKind: 'key', recordId: key.id,
          details: { role: key.role, regions: key.regions, structure_id: key.structureId, expires_at: key.expiresAt?.toISOString() ?? null },
        });
        return toKey(row);
      });
    },
    async findByHash(keyHash) {
      const [row] = await db.select(columns).from(apiKeys).where(eq(apiKeys.keyHash, keyHash)).limit(1);
      return row ? toKey(row) : undefined;
    },
    async get(id) {
      const [row] = await db.select(columns).from(apiKeys).where(eq(apiKeys.id, id)).limit(1);
      return row ? toKey(row) : undefined;
    },
    async revokedSince(at) {
      return (await db.select({ id: apiKeys.id }).from(apiKeys).where(gte(apiKeys.revokedAt, at))).map((r) => r.id);
    },
    async list() {
      return (await db.select(columns).from(apiKeys).orderBy(asc(apiKeys.createdAt), asc(apiKeys.id))).map(toKey);
    },
    async revoke(id, at, by) {
      const current = await this.get(id);
      if (!current || current.revokedAt) return current;
      return db.transaction(async (tx) => {
        const [row] = await tx.update(apiKeys).set({ revokedAt: at }).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))).returning(columns);
        if (!row) return (await tx.select(columns).from(apiKeys).where(eq(apiKeys.id, id)).limit(1)).map(toKey)[0]; // revoked meanwhile
        await writeAudit(tx, { actor: by, action: 'key.revoked', recordKind: 'key', recordId: id });
        return toKey(row);
      });
    },
  };
}
