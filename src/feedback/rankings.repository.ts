/**
 * Logged rankings in the store: written by batches (one transaction, rankings then their items),
 * read back by id with their items (feedback names them), purged after the retention period, and
 * the delegates' recent impressions of structures (the weekly cap is rebuilt from them at start).
 */
import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import { inTransaction, rowsOf, type Store } from '../db/open.ts';
import { float32Bytes, rankingItems, rankings } from '../db/schema.ts';
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

/** Rows per select statement (well under the 65,535 parameters of the protocol). */
const ROWS_PER_STATEMENT = 1000;
/**
 * Rankings per write of the log, by database. On the embedded one every statement runs on the
 * service's thread and holds it until it ends (about 0.9 ms a ranking of 20 items, and 0.9 ms a
 * statement whatever its size): three rankings at a time, about 4 ms, with the event loop free
 * between them, so that a request is not held behind a long write (ten at a time held it up to
 * 10-15 ms, the p95 of an explained match over HTTP went from 8 ms without the log to 15 ms). A
 * server runs them in its own process, and what costs is the round trips: each waits for a turn of
 * a service's event loop, and under load (50 connections, 640 explained matches a second) turns of
 * tens of milliseconds made a writer of 10 rankings per transaction (5 round trips) slower than the
 * rankings served: the buffer filled to its 10,000 and rankings were dropped. A whole batch per
 * transaction there.
 */
const RANKINGS_PER_WRITE = { pglite: 3, postgres: 200 } as const;

function chunks<T>(rows: T[], size = ROWS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One statement writing the rankings of a write, and the items of those it added, in the order
 * served: a ranking already stored (a batch written again after a failure) is left alone with its
 * items, which were written with it. Each list goes as one JSON parameter (json_to_recordset):
 * building a statement with a parameter per value costs more than the insert itself, and feature
 * vectors go as float32 bytes (hex) that PostgreSQL does not parse number by number.
 */
function insertStatement(part: readonly RankingEntry[]) {
  const seen = new Set<string>();
  const once = part.filter((e) => !seen.has(e.id) && seen.add(e.id)); // an id twice would give its items twice
  const heads = JSON.stringify(once.map((e) => ({
    id: e.id, served_at: e.servedAt.toISOString(), key_id: e.keyId, role: e.role, requester: e.requester,
    query_kind: e.queryKind, query_id: e.queryId, preview: e.preview, as_of: e.asOf, model_version: e.modelVersion,
    feature_names: e.featureNames, swapped_at: e.swappedAt, source: e.source, interleaved_with: e.interleavedWith ?? null,
  })));
  let n = 0;
  const items = JSON.stringify(once.flatMap(({ id, items: it }) => it.candidateIds.map((candidateId, k) => ({
    n: n++, ranking_id: id, position: it.positions[k], candidate_id: candidateId, score: it.scores[k],
    features: hex(float32Bytes(it.featuresAt(k))), team: it.teams?.[k] ?? null,
  }))));
  return sql`with added as (
      insert into rankings (id, served_at, key_id, role, requester, query_kind, query_id, preview, as_of, model_version,
        feature_names, swapped_at, source, interleaved_with)
      select * from json_to_recordset(${heads}::json) as x(id text, served_at timestamptz, key_id text, role text,
        requester text, query_kind text, query_id text, preview boolean, as_of text, model_version text, feature_names text[],
        swapped_at integer, source text, interleaved_with text)
      on conflict do nothing
      returning id)
    insert into ranking_items (ranking_id, position, candidate_id, score, features, team)
    select x.ranking_id, x.position, x.candidate_id, x.score, decode(x.features, 'hex'), x.team
    from json_to_recordset(${items}::json) as x(n integer, ranking_id text, position integer, candidate_id text,
      score double precision, features text, team text)
    join added on added.id = x.ranking_id
    order by x.n`;
}

export function createRankingsRepository(store: Pick<Store, 'db'> & Partial<Pick<Store, 'kind'>>) {
  const { db } = store;
  const kind = store.kind ?? 'pglite';
  const perWrite = RANKINGS_PER_WRITE[kind];
  return {
    /**
     * Writes a batch of rankings and their items, a few rankings per statement (each ranking whole
     * with its items). Idempotent: a batch written again after a failure adds nothing twice.
     */
    async insert(batch: readonly RankingEntry[]): Promise<void> {
      const parts = chunks([...batch], perWrite);
      for (const [n, part] of parts.entries()) {
        if (n > 0) await nextTurn();
        if (kind === 'pglite') {
          // Alone, the statement is its own transaction. PGlite runs with fsync off: its commit
          // costs less than the two round trips of the `set local` below (3.7 against 4.4 ms for
          // three rankings, medians).
          await db.execute(insertStatement(part));
          continue;
        }
        await inTransaction(db, async (t) => {
          // The log is already written after the answer, from memory: its commits need not wait for the disk.
          await t.execute(sql`set local synchronous_commit = off`);
          await t.execute(insertStatement(part));
        });
      }
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
      // The items with their rankings, in one statement: nothing ties them in the database (schema.ts,
      // rankingItems), and two statements would each see the rankings committed by then.
      const [row] = await rowsOf<{ n: number | string }>(db, sql`with gone as (
          delete from rankings where served_at < ${before.toISOString()}::timestamptz returning id),
        items as (delete from ranking_items i using gone where i.ranking_id = gone.id)
        select count(*)::int as n from gone`);
      return Number(row?.n ?? 0);
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
