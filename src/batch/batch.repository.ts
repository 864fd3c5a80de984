/**
 * Runs, shards and results of the nightly batch in the store. The one write that matters is
 * `commitShard`: the shard turns `done` and its results are inserted in ONE transaction, and only
 * if the shard was still pending — so a shard retried after a crash, or taken by two workers,
 * is written exactly once.
 */
import { sql, type SQL } from 'drizzle-orm';
import { inTransaction, rowsOf, type Store } from '../db/open.ts';
import type { EntityKind } from '../domain/types.ts';
import type { ShardPlan } from './batch.plan.ts';

export type RunStatus = 'running' | 'done' | 'failed';

export interface RunSummary {
  durationMs: number;
  queries: number;
  pairsScored: number;
  /** Queries ranked per second, pairs scored per second. */
  queriesPerSecond: number;
  pairsPerSecond: number;
  shards: number;
  /** Rows of results (queries with their top-k) per région. */
  resultsByRegion: Record<string, number>;
  /** Distinct processes that wrote shards. */
  workers: number;
  /** Whether the nightly steps ran: model retrained, index compacted. */
  retrained?: boolean;
  compacted?: boolean;
}

export interface BatchRun {
  id: number;
  status: RunStatus;
  trigger: string;
  mode: 'local' | 'queue';
  asOf: string;
  k: number;
  modelVersion: string;
  model: unknown;
  startedAt: Date;
  finishedAt: Date | null;
  summary: RunSummary | null;
  reportsAt: string | null;
}

export interface Shard extends ShardPlan { runId: number; status: 'pending' | 'done' }

/** One query's top-k as stored. */
export interface ResultRow { kind: EntityKind; queryId: string; region: string; candidates: string[]; scores: number[] }

const toDate = (v: unknown): Date | null => (v == null ? null : new Date(v as string));

function toRun(r: Record<string, unknown>): BatchRun {
  return {
    id: Number(r.id), status: r.status as RunStatus, trigger: String(r.trigger), mode: r.mode as BatchRun['mode'],
    asOf: String(r.as_of), k: Number(r.k), modelVersion: String(r.model_version), model: r.model,
    startedAt: toDate(r.started_at)!, finishedAt: toDate(r.finished_at),
    summary: (r.summary ?? null) as RunSummary | null, reportsAt: (r.reports_at ?? null) as string | null,
  };
}

/**
 * The statement of `topKs`: one primary-key lookup per id, whatever the planner's statistics. The
 * lateral subquery with its `limit 1` cannot be turned into a join, so the plan is fixed. Written
 * as `query_id = any(array(…))`, the plan depended on them: batch_results is never analysed where
 * autovacuum is off (as on the benchmarks' server) or has not come round since the last run
 * wrote 250,000 rows, and at national scale the planner then read every row of the run's kind
 * and compared each with the 1,000 ids (2.7-2.9 s a call, against 5.7 ms). A nightly run's
 * first shards waited for it: benchmarks/results/batch-seeds-plan-*.txt.
 */
export function topKsStatement(runId: number, kind: EntityKind, queryIds: readonly string[]): SQL {
  return sql`select q.id as query_id, x.candidates
    from jsonb_array_elements_text(${JSON.stringify(queryIds)}::jsonb) as q(id)
    cross join lateral (select r.candidates from batch_results r
      where r.run_id = ${runId} and r.kind = ${kind} and r.query_id = q.id limit 1) x`;
}

function toShard(r: Record<string, unknown>): Shard {
  return {
    runId: Number(r.run_id), key: String(r.key), kind: r.kind as EntityKind, region: String(r.region),
    firstId: String(r.first_id), lastId: String(r.last_id), size: Number(r.size), status: r.status as Shard['status'],
  };
}

export function createBatchRepository(store: Pick<Store, 'db'>) {
  const { db } = store;
  const runs = (where: SQL) => rowsOf<Record<string, unknown>>(db, sql`select * from batch_runs where ${where} order by id desc`);

  return {
    async createRun(input: { trigger: string; mode: BatchRun['mode']; asOf: string; k: number; modelVersion: string; model: unknown }): Promise<BatchRun> {
      const [row] = await rowsOf<Record<string, unknown>>(db, sql`insert into batch_runs (status, trigger, mode, as_of, k, model_version, model)
        values ('running', ${input.trigger}, ${input.mode}, ${input.asOf}, ${input.k}, ${input.modelVersion}, ${JSON.stringify(input.model)}::jsonb)
        returning *`);
      return toRun(row);
    },

    async getRun(id: number): Promise<BatchRun | undefined> {
      const [row] = await runs(sql`id = ${id}`);
      return row ? toRun(row) : undefined;
    },

    /** The unfinished run, if a process died during it. */
    async unfinished(): Promise<BatchRun | undefined> {
      const [row] = await runs(sql`status = 'running'`);
      return row ? toRun(row) : undefined;
    },

    /** Finished runs, newest first. */
    async finished(limit = 100): Promise<BatchRun[]> {
      return (await rowsOf<Record<string, unknown>>(db, sql`select * from batch_runs where status = 'done' order by id desc limit ${limit}`)).map(toRun);
    },

    /** The finished run before `id`: what a report compares with. */
    async previousDone(id: number): Promise<BatchRun | undefined> {
      const [row] = await runs(sql`status = 'done' and id < ${id}`);
      return row ? toRun(row) : undefined;
    },

    async lastStartedAt(): Promise<Date | undefined> {
      const [row] = await rowsOf<{ at: unknown }>(db, sql`select max(started_at) as at from batch_runs where status <> 'failed'`);
      return toDate(row?.at) ?? undefined;
    },

    async addShards(runId: number, plans: ShardPlan[]): Promise<void> {
      for (let i = 0; i < plans.length; i += 1000) {
        const payload = JSON.stringify(plans.slice(i, i + 1000).map((p) => ({
          key: p.key, kind: p.kind, region: p.region, first_id: p.firstId, last_id: p.lastId, size: p.size,
        })));
        await db.execute(sql`insert into batch_shards (run_id, key, kind, region, first_id, last_id, size)
          select ${runId}, key, kind, region, first_id, last_id, size
          from jsonb_to_recordset(${payload}::jsonb) as x(key text, kind text, region text, first_id text, last_id text, size integer)
          on conflict do nothing`);
      }
    },

    async shards(runId: number, status?: Shard['status']): Promise<Shard[]> {
      return (await rowsOf<Record<string, unknown>>(db, sql`select * from batch_shards where run_id = ${runId}
        ${status ? sql`and status = ${status}` : sql``} order by key`)).map(toShard);
    },

    async shard(runId: number, key: string): Promise<Shard | undefined> {
      const [row] = await rowsOf<Record<string, unknown>>(db, sql`select * from batch_shards where run_id = ${runId} and key = ${key}`);
      return row ? toShard(row) : undefined;
    },

    async countShards(runId: number): Promise<{ total: number; done: number; queriesDone: number; queries: number }> {
      const [row] = await rowsOf<Record<string, unknown>>(db, sql`select count(*) as total, count(*) filter (where status = 'done') as done,
        coalesce(sum(size) filter (where status = 'done'), 0) as queries_done, coalesce(sum(size), 0) as queries
        from batch_shards where run_id = ${runId}`);
      return { total: Number(row.total), done: Number(row.done), queriesDone: Number(row.queries_done), queries: Number(row.queries) };
    },

    /**
     * Marks the shard done and writes its results, in one transaction, if it was still pending;
     * false (nothing written) when another process had already done it.
     */
    async commitShard(shard: Shard, results: ResultRow[], pairsScored: number, worker: string): Promise<boolean> {
      return inTransaction(db, async (tx) => {
        const taken = await rowsOf(tx, sql`update batch_shards set status = 'done', pairs_scored = ${pairsScored},
          worker = ${worker}, done_at = now() where run_id = ${shard.runId} and key = ${shard.key} and status = 'pending' returning key`);
        if (taken.length === 0) return false;
        for (let i = 0; i < results.length; i += 2000) {
          const payload = JSON.stringify(results.slice(i, i + 2000).map((r) => ({
            kind: r.kind, query_id: r.queryId, region: r.region, candidates: r.candidates, scores: r.scores,
          })));
          await tx.execute(sql`insert into batch_results (run_id, kind, query_id, region, shard, candidates, scores)
            select ${shard.runId}, kind, query_id, region, ${shard.key}, candidates, scores
            from jsonb_to_recordset(${payload}::jsonb) as x(kind text, query_id text, region text, candidates text[], scores double precision[])`);
        }
        return true;
      });
    },

    /** Figures of a run's shards for its summary. */
    async shardFigures(runId: number): Promise<{ pairsScored: number; workers: number; queries: number; shards: number }> {
      const [row] = await rowsOf<Record<string, unknown>>(db, sql`select coalesce(sum(pairs_scored), 0) as pairs, count(distinct worker) as workers,
        coalesce(sum(size), 0) as queries, count(*) as shards from batch_shards where run_id = ${runId}`);
      return { pairsScored: Number(row.pairs), workers: Number(row.workers), queries: Number(row.queries), shards: Number(row.shards) };
    },

    async resultsByRegion(runId: number): Promise<Record<string, number>> {
      const rows = await rowsOf<{ region: string; n: unknown }>(db, sql`select region, count(*) as n from batch_results where run_id = ${runId} group by region order by region`);
      return Object.fromEntries(rows.map((r) => [r.region, Number(r.n)]));
    },

    /** A run's results (of one kind, of some régions when given), in query id order. */
    async results(runId: number, kind: EntityKind): Promise<ResultRow[]> {
      const rows = await rowsOf<Record<string, unknown>>(db, sql`select kind, query_id, region, candidates, scores from batch_results
        where run_id = ${runId} and kind = ${kind} order by query_id`);
      return rows.map((r) => ({
        kind: r.kind as EntityKind, queryId: String(r.query_id), region: String(r.region),
        candidates: r.candidates as string[], scores: (r.scores as unknown[]).map(Number),
      }));
    },

    /** The top-k (candidate ids, best first) a run gave these queries of a kind, by query id: those it has. */
    async topKs(runId: number, kind: EntityKind, queryIds: readonly string[]): Promise<Map<string, string[]>> {
      if (queryIds.length === 0) return new Map();
      const rows = await rowsOf<{ query_id: string; candidates: string[] }>(db, topKsStatement(runId, kind, queryIds));
      return new Map(rows.map((r) => [String(r.query_id), r.candidates]));
    },

    async finish(runId: number, summary: RunSummary): Promise<void> {
      await db.execute(sql`update batch_runs set status = 'done', finished_at = now(), summary = ${JSON.stringify(summary)}::jsonb where id = ${runId}`);
    },

    async fail(runId: number): Promise<void> {
      await db.execute(sql`update batch_runs set status = 'failed', finished_at = now() where id = ${runId}`);
    },

    async setReports(runId: number, at: string): Promise<void> {
      await db.execute(sql`update batch_runs set reports_at = ${at} where id = ${runId}`);
    },

    /** Deletes the runs (and their shards and results) older than the `keep` last finished ones. */
    async prune(keep: number): Promise<number> {
      const rows = await rowsOf(db, sql`delete from batch_runs where status <> 'running' and id < coalesce(
        (select min(id) from (select id from batch_runs where status = 'done' order by id desc limit ${keep}) kept), 0) returning id`);
      return rows.length;
    },
  };
}

export type BatchRepository = ReturnType<typeof createBatchRepository>;
