/**
 * A run's seeds (batch.repository.ts topKs): the previous run's top-k of a shard's 1,000 queries,
 * read id by id through batch_results' primary key, on both databases, while the table has never
 * been analysed (PGlite runs no autovacuum; a server's may be off, or not yet come round after a
 * run wrote 250,000 rows). Asked as `query_id = any(array(…))`, the planner then read every row
 * of the run's kind and compared each with the 1,000 ids: 2.7 s a call at national scale.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchRepository, topKsStatement } from '../../src/batch/batch.repository.ts';
import type { Store } from '../../src/db/open.ts';
import { openTestStore, storeKinds } from '../support/stores.ts';

/** Rows of one kind in the run: the plan that reads them all shows only with enough of them. */
const ROWS = 60_000;
const idOf = (i: number) => `s${String(i).padStart(6, '0')}`;

interface PlanNode { 'Node Type': string; 'Relation Name'?: string; 'Index Cond'?: string; Filter?: string; Plans?: PlanNode[] }

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

describe.each(storeKinds())('the seeds of a run on %s', (kind) => {
  let store: Store;
  let runId: number;

  beforeAll(async () => {
    store = await openTestStore(kind);
    const run = await createBatchRepository(store).createRun({ trigger: 'test', mode: 'local', asOf: '2026-12-01', k: 2, modelVersion: 'v', model: {} });
    runId = run.id;
    await store.db.execute(sql`insert into batch_results (run_id, kind, query_id, region, shard, candidates, scores)
      select ${runId}, 'structure', 's' || lpad(i::text, 6, '0'), '11', 'structure:11:0000', array['r' || i, 'r' || (i + 1)], array[0.9, 0.8]
      from generate_series(1, ${ROWS}) as i`);
  }, 120_000);
  afterAll(() => store?.close());

  it('are read id by id through the primary key while batch_results has no statistics', async () => {
    const [stats] = await store.rows<{ n: number }>(sql`select reltuples::float8 as n from pg_class where oid = to_regclass('batch_results')`);
    // Never analysed here (autovacuum is off on the test server, and PGlite has none); if a server
    // analysed it meanwhile, the plan checked below must be the same anyway.
    if (kind === 'pglite') expect(Number(stats.n)).toBeLessThan(0);
    const ids = Array.from({ length: 1000 }, (_, i) => idOf(1 + i * 37));
    const [row] = await store.rows<Record<string, unknown>>(sql`explain (format json) ${topKsStatement(runId, 'structure', ids)}`);
    const value = row['QUERY PLAN'];
    const plan = (typeof value === 'string' ? JSON.parse(value) : value) as { Plan: PlanNode }[];
    const scans = nodes(plan[0].Plan).filter((n) => n['Relation Name'] === 'batch_results');
    expect(scans.length).toBe(1);
    expect(scans[0]['Node Type']).toMatch(/^Index (Only )?Scan$/);
    expect(scans[0]['Index Cond']).toContain('query_id');
    expect(scans[0].Filter ?? '').not.toContain('query_id');
  });

  it('give each asked query its top-k, and nothing for the ids the run does not hold', async () => {
    const asked = [idOf(5), idOf(ROWS), 'absent', idOf(5)];
    const repo = createBatchRepository(store);
    const seeds = await repo.topKs(runId, 'structure', asked);
    expect([...seeds.entries()].sort()).toEqual([[idOf(5), ['r5', 'r6']], [idOf(ROWS), [`r${ROWS}`, `r${ROWS + 1}`]]].sort());
    expect((await repo.topKs(runId, 'resource', asked)).size).toBe(0);
  });
});
