/**
 * The audit trail in the store: one row per change, written with `writeAudit` inside the
 * transaction of the change it records (pass the transaction, never the store's own handle, so
 * that both commit or neither does), and read newest first in keyset pages.
 *
 * An entry says who (the caller's key id and role, `operateur` for the command line), what (one of
 * AUDIT_ACTIONS), on which record, and details that name fields, counts and versions: never a key,
 * a key hash or a record's field values.
 */
import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { Caller } from '../access/access.policy.ts';
import type { Db } from '../db/open.ts';
import { auditEntries } from '../db/schema.ts';

export const AUDIT_ACTIONS = [
  'record.created', 'record.updated', 'record.archived', 'records.imported', 'report.exported',
  'model.promoted', 'model.rolled_back', 'key.created', 'key.revoked',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_RECORD_KINDS = ['structure', 'resource', 'key', 'model', 'report'] as const;
export type AuditRecordKind = (typeof AUDIT_RECORD_KINDS)[number];

/** Who made a change: a key (its id and role), the command line's operator, or the service itself. */
export interface AuditActor { id: string; role: string }

export const actorOf = (caller: Caller): AuditActor => ({ id: caller.keyId, role: caller.role });
/** The trainer, when its guard promotes a model by itself. */
export const TRAINER_ACTOR: AuditActor = { id: 'entrainement', role: 'systeme' };
/** The service at start-up, when it puts the committed default model back in service. */
export const STARTUP_ACTOR: AuditActor = { id: 'demarrage', role: 'systeme' };

export interface NewAuditEntry {
  actor: AuditActor;
  action: AuditAction;
  recordKind: AuditRecordKind;
  /** Null for an import (its run id is in the details). */
  recordId: string | null;
  details?: Record<string, unknown>;
}

export interface AuditEntry extends Required<NewAuditEntry> { id: number; at: Date }

/** Writes one entry with `tx`: the transaction of the change, so that the entry commits with it. */
export async function writeAudit(tx: Pick<Db, 'insert'>, entry: NewAuditEntry): Promise<void> {
  await tx.insert(auditEntries).values({
    actorId: entry.actor.id, actorRole: entry.actor.role, action: entry.action,
    recordKind: entry.recordKind, recordId: entry.recordId, details: entry.details ?? {},
  });
}

export interface AuditFilter {
  actorId?: string;
  action?: AuditAction;
  recordKind?: AuditRecordKind;
  recordId?: string;
  /** At or after this instant. */
  from?: Date;
  /** Strictly before this instant. */
  to?: Date;
  limit: number;
  /** Entries with a smaller id only (the previous page's last one): newest first. */
  before?: number;
}

type Row = typeof auditEntries.$inferSelect;

const toEntry = (row: Row): AuditEntry => ({
  id: row.id, at: row.at, actor: { id: row.actorId, role: row.actorRole }, action: row.action as AuditAction,
  recordKind: row.recordKind as AuditRecordKind, recordId: row.recordId, details: row.details,
});

/** A page of entries, newest first, and the id to continue before (null on the last page). */
export async function listAudit(db: Db, filter: AuditFilter): Promise<{ items: AuditEntry[]; nextBefore: number | null }> {
  const t = auditEntries;
  const conditions: (SQL | undefined)[] = [
    filter.actorId !== undefined ? eq(t.actorId, filter.actorId) : undefined,
    filter.action !== undefined ? eq(t.action, filter.action) : undefined,
    filter.recordKind !== undefined ? eq(t.recordKind, filter.recordKind) : undefined,
    filter.recordId !== undefined ? eq(t.recordId, filter.recordId) : undefined,
    filter.from ? gte(t.at, filter.from) : undefined,
    filter.to ? lt(t.at, filter.to) : undefined,
    filter.before !== undefined ? lt(t.id, filter.before) : undefined,
  ];
  const rows = await db.select().from(t).where(and(...conditions)).orderBy(desc(t.id)).limit(filter.limit + 1);
  const items = rows.slice(0, filter.limit).map(toEntry);
  return { items, nextBefore: rows.length > filter.limit ? items[items.length - 1].id : null };
}
