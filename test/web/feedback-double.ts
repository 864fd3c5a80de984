/**
 * A test double of the feedback port (the real one comes with the feedback loop, issue 15): it
 * writes the events to the feedback_events table of the store, so a test can check they are in
 * the database, and hides the pairs a requester marked « pas intéressé » (restore deletes them).
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Store } from '../../src/db/open.ts';
import { feedbackEvents } from '../../src/db/schema.ts';
import type { FeedbackPort } from '../../src/web/ports.ts';

export function createFeedbackDouble(store: Store): FeedbackPort {
  const t = feedbackEvents;
  return {
    async record(caller, e) {
      await store.db.insert(t).values({
        clientEventId: e.clientEventId, kind: e.kind, reason: e.reason ?? null, reasonText: e.reasonText ?? null,
        rankingId: e.rankingId ?? null, position: e.position ?? null, structureId: e.structureId, resourceId: e.resourceId,
        keyId: caller.keyId, role: caller.role, requester: caller.keyId, region: e.region, occurredAt: e.occurredAt,
      }).onConflictDoNothing();
    },
    async hiddenFor(caller) {
      const rows = await store.db.select().from(t)
        .where(and(eq(t.requester, caller.keyId), eq(t.kind, 'not_interested'))).orderBy(desc(t.occurredAt));
      return rows.map((r) => ({ structureId: r.structureId, resourceId: r.resourceId, reason: r.reason ?? undefined, at: r.occurredAt }));
    },
    async restore(caller, pair) {
      await store.db.delete(t).where(and(eq(t.requester, caller.keyId), eq(t.kind, 'not_interested'),
        eq(t.structureId, pair.structureId), eq(t.resourceId, pair.resourceId)));
    },
  };
}
