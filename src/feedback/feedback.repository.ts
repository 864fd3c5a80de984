/**
 * Feedback events in the store: inserted in one transaction, idempotent by the client's event id
 * (an id already stored is skipped, not rewritten), listed with filters and the caller's scope in
 * the WHERE clause (keyset pagination on the row id), and read back whole for the effects at start.
 */
import { and, asc, desc, eq, gt, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { inTransaction, type Store } from '../db/open.ts';
import { feedbackEvents } from '../db/schema.ts';
import type { FeedbackKind } from '../learning/events.ts';

export type NewFeedbackEvent = typeof feedbackEvents.$inferInsert;
export type StoredFeedbackEvent = typeof feedbackEvents.$inferSelect;

/** Who may read which events: all, the structures of some régions, one structure. */
export type FeedbackScope = { all: true } | { regions: string[] } | { structureId: string };

export interface FeedbackFilter {
  structureId?: string;
  resourceId?: string;
  kind?: FeedbackKind;
  from?: Date;
  to?: Date;
  limit: number;
  /** Id of the last event of the previous page. */
  after?: number;
}

const ROWS_PER_STATEMENT = 500;
const never = sql`false`;

function scopeCondition(scope: FeedbackScope): SQL | undefined {
  const t = feedbackEvents;
  if ('all' in scope) return undefined;
  if ('structureId' in scope) return eq(t.structureId, scope.structureId);
  return scope.regions.length > 0 ? inArray(t.region, scope.regions) : never;
}

export function createFeedbackRepository(store: Pick<Store, 'db'>) {
  const { db } = store;
  return {
    /** Client event ids among `ids` that are already stored. */
    async existing(ids: readonly string[]): Promise<Set<string>> {
      const out = new Set<string>();
      for (let i = 0; i < ids.length; i += ROWS_PER_STATEMENT) {
        const rows = await db.select({ id: feedbackEvents.clientEventId }).from(feedbackEvents)
          .where(inArray(feedbackEvents.clientEventId, ids.slice(i, i + ROWS_PER_STATEMENT)));
        for (const r of rows) out.add(r.id);
      }
      return out;
    },

    /**
     * Inserts the events in one transaction; an event whose client id is already stored is
     * skipped. Returns the stored rows that this call created.
     */
    async insert(events: readonly NewFeedbackEvent[]): Promise<StoredFeedbackEvent[]> {
      if (events.length === 0) return [];
      return inTransaction(db, async (tx) => {
        const created: StoredFeedbackEvent[] = [];
        for (let i = 0; i < events.length; i += ROWS_PER_STATEMENT) {
          const rows = await tx.insert(feedbackEvents).values(events.slice(i, i + ROWS_PER_STATEMENT))
            .onConflictDoNothing({ target: feedbackEvents.clientEventId }).returning();
          created.push(...rows);
        }
        return created;
      });
    },

    async list(scope: FeedbackScope, filter: FeedbackFilter): Promise<{ items: StoredFeedbackEvent[]; nextAfter: number | null }> {
      const t = feedbackEvents;
      const rows = await db.select().from(t).where(and(
        scopeCondition(scope),
        filter.structureId ? eq(t.structureId, filter.structureId) : undefined,
        filter.resourceId ? eq(t.resourceId, filter.resourceId) : undefined,
        filter.kind ? eq(t.kind, filter.kind) : undefined,
        filter.from ? gte(t.occurredAt, filter.from) : undefined,
        filter.to ? lt(t.occurredAt, filter.to) : undefined,
        filter.after !== undefined ? gt(t.id, filter.after) : undefined,
      )).orderBy(asc(t.id)).limit(filter.limit + 1);
      const items = rows.slice(0, filter.limit);
      return { items, nextAfter: rows.length > filter.limit ? items[items.length - 1].id : null };
    },

    /** The events that have an immediate effect (not_interested, partnership), oldest first. */
    async effectful(): Promise<Pick<StoredFeedbackEvent, 'requester' | 'kind' | 'structureId' | 'resourceId'>[]> {
      const t = feedbackEvents;
      return db.select({ requester: t.requester, kind: t.kind, structureId: t.structureId, resourceId: t.resourceId })
        .from(t).where(or(eq(t.kind, 'not_interested'), eq(t.kind, 'partnership'))).orderBy(asc(t.id));
    },

    /** A requester's « not interested » events, newest first. */
    notInterestedOf(requester: string): Promise<StoredFeedbackEvent[]> {
      const t = feedbackEvents;
      return db.select().from(t).where(and(eq(t.requester, requester), eq(t.kind, 'not_interested'))).orderBy(desc(t.id));
    },

    /** Withdraws a requester's « not interested » events on a pair (an undo); returns how many. */
    async withdrawNotInterested(requester: string, structureId: string, resourceId: string): Promise<number> {
      const t = feedbackEvents;
      const rows = await db.delete(t).where(and(eq(t.requester, requester), eq(t.kind, 'not_interested'),
        eq(t.structureId, structureId), eq(t.resourceId, resourceId))).returning({ id: t.id });
      return rows.length;
    },
  };
}

export type FeedbackRepository = ReturnType<typeof createFeedbackRepository>;
