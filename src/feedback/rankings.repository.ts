/**
 * Logged rankings in the store: written by batches (one statement, a row per ranking with its items
 * in arrays), read back by id with their items (feedback names them), purged after the retention
 * period, and the delegates' recent impressions of structures (the weekly cap is rebuilt from them
 * at start).
 */
import { inArray, sql } from 'drizzle-orm';
import { inTransaction, rowsOf, type Store } from '../db/open.ts';
import { float32Bytes, rankings } from '../db/schema.ts';
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

/** Each candidate's shown position (its first, should it appear twice). */
function positionsById(candidateIds: readonly string[], positions: ArrayLike<number>): Map<string, number> {
  const items = new Map<string, number>();
  candidateIds.forEach((id, k) => { if (!items.has(id)) items.set(id, positions[k]); });
  return items;
}

/** A ranking still waiting in the log's memory, as it will read back once stored. */
export function storedRankingOf(entry: RankingEntry): StoredRanking {
  return {
    id: entry.id, requester: entry.requester, role: entry.role, queryKind: entry.queryKind, queryId: entry.queryId,
    preview: entry.preview, items: positionsById(entry.items.candidateIds, entry.items.positions),
  };
}

/** Rows per select statement (well under the 65,535 parameters of the protocol). */
const ROWS_PER_STATEMENT = 1000;
/**
 * Rankings per write of the log, by database. On the embedded one every statement runs on the
 * service's thread and holds it until it ends: a few rankings at a time, with the event loop free
 * between them, so that a request is not held behind a long write. Rankings of 20 items and 13
 * features, medians: 0.5 ms for one, 0.75 ms for three, 1.55 ms for ten (when a ranking was 21
 * rows: 0.85, 1.4 and 3.2 ms, and ten at a time took the p95 of an explained match over HTTP from
 * 8 to 15 ms). A server runs them in its own process, and what costs is the round
 * trips: each waits for a turn of a service's event loop, and under load (50 connections, 640
 * explained matches a second) turns of tens of milliseconds made a writer of 10 rankings per
 * transaction (5 round trips) slower than the rankings served: the buffer filled to its 10,000 and
 * rankings were dropped. A whole batch per transaction there.
 *
 * The embedded database on a thread of its own (the service's) is written like a server: a
 * statement holds that thread, not the requests. What it costs there is the thread's CPU, which
 * the service's thread and, under load, the clients share two cores with. Measured in one process
 * (rankings of 20 items and 13 features, 1,000 at a time, medians): 0.21 ms a ranking ten at a
 * time, 0.12 ms two hundred at a time; under bench:load at 50 connections on PGlite, alternated,
 * a median of 1.75 ms of the service's CPU per explained match against 2.14 ms at ten a statement
 * (benchmarks/results/load-ab-logwrite-4b6bb13.txt). A statement of 200 rankings holds the thread
 * about 25 ms, which another statement may wait for.
 */
/** The ranking log's batches are 200 (ranking-log.ts): one statement each where no thread of the service waits on it. */
const WHOLE_BATCH = 200;
const RANKINGS_PER_WRITE = { pglite: 5, postgres: WHOLE_BATCH } as const;

function chunks<T>(rows: T[], size = ROWS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One statement writing the rankings of a write, a row each with its items in arrays. A ranking
 * already stored (a batch written again after a failure) or given twice is written once: `on
 * conflict do nothing` also skips a row whose key an earlier row of the statement took. The rows go
 * as one JSON parameter (json_to_recordset): building a statement with a parameter per value costs
 * more than the insert itself, and the feature values go as float32 bytes (hex) that PostgreSQL
 * does not parse number by number.
 */
function insertStatement(part: readonly RankingEntry[]) {
  const rows = JSON.stringify(part.map((e) => ({
    id: e.id, served_at: e.servedAt.toISOString(), key_id: e.keyId, role: e.role, requester: e.requester,
    query_kind: e.queryKind, query_id: e.queryId, preview: e.preview, as_of: e.asOf, model_version: e.modelVersion,
    feature_names: e.featureNames, swapped_at: e.swappedAt, source: e.source, interleaved_with: e.interleavedWith ?? null,
    positions: Array.from(e.items.positions), candidate_ids: e.items.candidateIds, scores: Array.from(e.items.scores),
    features: hex(float32Bytes(e.items.features)), teams: e.items.teams?.map((t) => t ?? null) ?? null,
  })));
  return sql`insert into rankings (id, served_at, key_id, role, requester, query_kind, query_id, preview, as_of, model_version,
      feature_names, swapped_at, source, interleaved_with, positions, candidate_ids, scores, features, teams)
    select x.id, x.served_at, x.key_id, x.role, x.requester, x.query_kind, x.query_id, x.preview, x.as_of, x.model_version,
      x.feature_names, x.swapped_at, x.source, x.interleaved_with, x.positions, x.candidate_ids, x.scores,
      decode(x.features, 'hex'), x.teams
    from json_to_recordset(${rows}::json) as x(id text, served_at timestamptz, key_id text, role text,
      requester text, query_kind text, query_id text, preview boolean, as_of text, model_version text, feature_names text[],
      swapped_at integer, source text, interleaved_with text, positions integer[], candidate_ids text[],
      scores double precision[], features text, teams text[])
    on conflict do nothing`;
}

export function createRankingsRepository(store: Pick<Store, 'db'> & Partial<Pick<Store, 'kind' | 'thread'>>) {
  const { db } = store;
  const kind = store.kind ?? 'pglite';
  const perWrite = store.thread ? WHOLE_BATCH : RANKINGS_PER_WRITE[kind];
  return {
    /**
     * Writes a batch of rankings with their items, a few rankings per statement. Idempotent: a
     * batch written again after a failure adds nothing twice.
     */
    async insert(batch: readonly RankingEntry[]): Promise<void> {
      const parts = chunks([...batch], perWrite);
      for (const [n, part] of parts.entries()) {
        if (n > 0) await nextTurn();
        if (kind === 'pglite') {
          // Alone, the statement is its own transaction. PGlite runs with fsync off: its commit
          // costs less than the two round trips of the `set local` below (3.7 against 4.4 ms for
          // three rankings, medians, when a ranking was 21 rows).
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
          queryId: rankings.queryId, preview: rankings.preview, candidateIds: rankings.candidateIds, positions: rankings.positions,
        }).from(rankings).where(inArray(rankings.id, part));
        for (const { candidateIds, positions, ...r } of rows) {
          out.set(r.id, { ...r, queryKind: r.queryKind as StoredRanking['queryKind'], items: positionsById(candidateIds, positions) });
        }
      }
      return out;
    },

    /** Removes the rankings served before `before` (their items with them); returns how many. */
    async purge(before: Date): Promise<number> {
      const [row] = await rowsOf<{ n: number | string }>(db, sql`with gone as (
          delete from rankings where served_at < ${before.toISOString()}::timestamptz returning 1)
        select count(*)::int as n from gone`);
      return Number(row?.n ?? 0);
    },

    /** Structures shown to delegates since `since`: one row per (structure, delegate), the last time. */
    async delegateImpressions(since: Date): Promise<{ structureId: string; requester: string; at: Date }[]> {
      const rows = await rowsOf<{ structure_id: string; requester: string; at: string | Date }>(db, sql`
        select shown.structure_id, r.requester, max(r.served_at) as at
        from ${rankings} r cross join lateral unnest(r.candidate_ids) as shown(structure_id)
        where r.role = 'delegate' and r.query_kind = 'resource' and r.served_at >= ${since.toISOString()}::timestamptz
        group by shown.structure_id, r.requester`);
      return rows.map((r) => ({ structureId: r.structure_id, requester: r.requester, at: new Date(r.at) }));
    },
  };
}

export type RankingsRepository = ReturnType<typeof createRankingsRepository>;
