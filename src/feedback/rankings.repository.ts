/**
 * Logged rankings in the store: written by batches (one transaction, rankings then their items),
 * read back by id with their items (feedback names them), purged after the retention period, and
 * the delegates' recent impressions of structures (the weekly cap is rebuilt from them at start).
 */
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { inTransaction, type Store } from '../db/open.ts';
import { rankingItems, rankings } from '../db/schema.ts';
import type { RankingEntry } from './ranking-log.ts';

export interface StoredRanking {
  id: string;
  requester: string;
  role: string;
  queryKind: 'structure' | 'resource';
  queryId: string;
  preview: boolean;
  /** Candidate id → shown position. */
  items: Map<string, number>;
}

/** Rows per insert statement (well under the 65,535 parameters of the protocol). */
const ROWS_PER_STATEMENT = 1000;

function chunks<T>(rows: T[], size = ROWS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

export function createRankingsRepository(store: Pick<Store, 'db'>) {
  const { db } = store;
  return {
    /** Writes a batch of rankings and their items in one transaction. */
    async insert(batch: readonly RankingEntry[]): Promise<void> {
      if (batch.length === 0) return;
      await inTransaction(db, async (t) => {
        for (const part of chunks([...batch])) {
          await t.insert(rankings).values(part.map((e) => ({
            id: e.id, servedAt: e.servedAt, keyId: e.keyId, role: e.role, requester: e.requester,
            queryKind: e.queryKind, queryId: e.queryId, preview: e.preview, asOf: e.asOf, modelVersion: e.modelVersion,
            featureNames: [...e.featureNames], swappedAt: e.swappedAt, source: e.source, interleavedWith: e.interleavedWith ?? null,
          }))).onConflictDoNothing();
        }
        const items = batch.flatMap((e) => e.items.map((i) => ({
          rankingId: e.id, position: i.position, candidateId: i.candidateId, score: i.score, features: i.features, team: i.team ?? null,
        })));
        for (const part of chunks(items)) await t.insert(rankingItems).values(part).onConflictDoNothing();
      });
    },

    /** Rankings with their items, by id (the ones not found are absent from the map). */
    async findMany(ids: readonly string[]): Promise<Map<string, StoredRanking>> {
      const out = new Map<string, StoredRanking>();
      if (ids.length === 0) return out;
      for (const part of chunks([...new Set(ids)])) {
        const rows = await db.select({
          id: rankings.id, requester: rankings.requester, role: rankings.role, queryKind: rankings.queryKind,
          queryId: rankings.queryId, preview: rankings.preview,
        }).from(rankings).where(inArray(rankings.id, part));
        for (const r of rows) out.set(r.id, { ...r, queryKind: r.queryKind as StoredRanking['queryKind'], items: new Map() });
        const items = await db.select({ rankingId: rankingItems.rankingId, candidateId: rankingItems.candidateId, position: rankingItems.position })
          .from(rankingItems).where(inArray(rankingItems.rankingId, part));
        for (const i of items) {
          // A ranking committed between the two reads has items but no row here yet: left for the next read.
          const shown = out.get(i.rankingId)?.items;
          if (shown && !shown.has(i.candidateId)) shown.set(i.candidateId, i.position);
        }
      }
      return out;
    },

    /** Removes the rankings served before `before` (their items go with them); returns how many. */
    async purge(before: Date): Promise<number> {
      const rows = await db.delete(rankings).where(lt(rankings.servedAt, before)).returning({ id: rankings.id });
      return rows.length;
    },

    /** Structures shown to delegates since `since`: one row per (structure, delegate), the last time. */
    async delegateImpressions(since: Date): Promise<{ structureId: string; requester: string; at: Date }[]> {
      const rows = await db.select({
        structureId: rankingItems.candidateId, requester: rankings.requester, at: sql<string>`max(${rankings.servedAt})`,
      }).from(rankingItems).innerJoin(rankings, eq(rankingItems.rankingId, rankings.id))
        .where(and(eq(rankings.role, 'delegate'), eq(rankings.queryKind, 'resource'), gte(rankings.servedAt, since)))
        .groupBy(rankingItems.candidateId, rankings.requester);
      return rows.map((r) => ({ structureId: r.structureId, requester: r.requester, at: new Date(r.at) }));
    },
  };
}

export type RankingsRepository = ReturnType<typeof createRankingsRepository>;
