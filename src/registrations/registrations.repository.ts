/** Storage of the registration requests (table pending_registrations). */
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { pendingRegistrations } from '../db/schema.ts';

export type RegistrationRow = typeof pendingRegistrations.$inferSelect;
export type NewRegistration = typeof pendingRegistrations.$inferInsert;
export type RegistrationStatus = 'pending' | 'approved' | 'rejected';

export function createRegistrationsRepository({ db }: { db: Db }) {
  const t = pendingRegistrations;
  return {
    async insert(row: NewRegistration): Promise<RegistrationRow> {
      const [inserted] = await db.insert(t).values(row).returning();
      return inserted;
    },
    async get(id: string): Promise<RegistrationRow | undefined> {
      const [row] = await db.select().from(t).where(eq(t.id, id)).limit(1);
      return row;
    },
    async byClaim(claimHash: string): Promise<RegistrationRow | undefined> {
      const [row] = await db.select().from(t).where(eq(t.claimHash, claimHash)).limit(1);
      return row;
    },
    /** Pending requests, oldest first; `regions` undefined means all. */
    pending(regions?: string[]): Promise<RegistrationRow[]> {
      const scope = regions === undefined ? undefined : inArray(t.region, regions.length > 0 ? regions : ['-']);
      return db.select().from(t).where(and(eq(t.status, 'pending'), scope)).orderBy(asc(t.createdAt), asc(t.id));
    },
    /** Sets the decision if still pending; the row, or undefined when someone decided first. */
    async decide(id: string, status: 'approved' | 'rejected', by: string, note: string | null, at: Date) {
      const [row] = await db.update(t).set({ status, decidedBy: by, decisionNote: note, decidedAt: at })
        .where(and(eq(t.id, id), eq(t.status, 'pending'))).returning();
      return row as RegistrationRow | undefined;
    },
    /** Records the key taken with the follow-up link, once. */
    async keyTaken(id: string, keyId: string): Promise<boolean> {
      const rows = await db.update(t).set({ keyId }).where(and(eq(t.id, id), isNull(t.keyId))).returning({ id: t.id });
      return rows.length > 0;
    },
  };
}
