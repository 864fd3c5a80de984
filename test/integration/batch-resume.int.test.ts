/**
 * kill -9 in the middle of a run, then `passerelles batch` again: the run resumes (done shards
 * skipped) and ends with exactly the results of an uninterrupted run. The run is a child process;
 * its shards are made small and slow (5 queries, 200 ms before each commit) to be killed mid-shard.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/db/open.ts';
import { devSetForChildren, resultsOf, runBatchOn } from '../support/batch.ts';
import { storeKinds } from '../support/stores.ts';
import { startCli, waitForLines, type Child } from '../support/children.ts';

describe.each(storeKinds())('a run killed with kill -9 on %s', (kind) => {
  const dir = mkdtempSync(join(tmpdir(), 'passerelles-resume-'));
  let env: Record<string, string>;
  let drop = async () => {};
  const open = (): Promise<Store> => openStore({ dataDir: env.PASSERELLES_DATA_DIR, databaseUrl: env.DATABASE_URL });
  let killedAfter = 0;
  let resumed: Child;

  beforeAll(async () => {
    env = { PASSERELLES_DATA_DIR: join(dir, 'data'), PASSERELLES_REPORTS_DIR: join(dir, 'reports'), PASSERELLES_BATCH_SHARD_SIZE: '5', LOG_LEVEL: 'debug' };
    ({ drop } = await devSetForChildren(kind, env));

    const killed = startCli(['batch', '--as-of', '2026-12-01'], { ...env, PASSERELLES_BATCH_SHARD_DELAY_MS: '200' });
    await waitForLines(killed, 'tranche écrite', 4);
    killed.process.kill('SIGKILL');
    await killed.exited;
    killedAfter = killed.stderr.split('\n').filter((l) => l.includes('tranche écrite')).length;

    resumed = startCli(['batch', '--as-of', '2026-12-01'], env);
    expect(await resumed.exited).toBe(0);
    // The uninterrupted run to compare with, in-process (same date, k and model).
    const store2 = await open();
    await runBatchOn(store2, { asOf: '2026-12-01', k: 10 }).finally(() => store2.close());
  }, 240_000);
  afterAll(async () => {
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stopped mid-run, leaving done and pending shards', () => {
    expect(killedAfter).toBeGreaterThanOrEqual(4);
    expect(killedAfter).toBeLessThan(39);
  });

  it('resumes the unfinished run, skipping the shards already written', () => {
    expect(resumed.stdout).toContain('Calcul n° 1 terminé (repris après interruption)');
    const rewritten = resumed.stderr.split('\n').filter((l) => l.includes('tranche écrite')).length;
    const store = open();
    return store.then(async (s) => {
      try {
        const [{ n }] = await s.rows<{ n: number }>(sql`select count(*) as n from batch_shards where run_id = 1`);
        expect(rewritten).toBe(Number(n) - killedAfter);
      } finally {
        await s.close();
      }
    });
  });

  it('ends with exactly the results of an uninterrupted run', async () => {
    const store = await open();
    try {
      // Ids after a crash may jump (PostgreSQL pre-logs sequence values): take them from the table.
      const runs = await store.rows<{ id: number; status: string }>(sql`select id, status from batch_runs order by id`);
      expect(runs.map((r) => [Number(r.id), r.status])).toEqual([[1, 'done'], [Number(runs[1].id), 'done']]);
      const interrupted = await resultsOf(store, 1);
      expect(interrupted).toHaveLength(120);
      expect(interrupted).toEqual(await resultsOf(store, Number(runs[1].id)));
      const [{ n }] = await store.rows<{ n: number }>(sql`select count(*) as n from batch_results where run_id = 1`);
      expect(Number(n)).toBe(120);
    } finally {
      await store.close();
    }
  });
});
