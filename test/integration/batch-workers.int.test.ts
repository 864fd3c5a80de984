/**
 * The distributed mode on a PostgreSQL server: `passerelles batch --queue` puts the shards in the
 * pg-boss queue and three `passerelles worker` processes take them; one is killed with kill -9
 * in the middle of a shard. Nothing is lost (its shard is taken again after the shard timeout)
 * and nothing is written twice; the results are those of a run in one process. Meanwhile,
 * another process asking for a run is refused: one run at a time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/db/open.ts';
import { loadGeography } from '../../src/geo/geography.ts';
import { importDevSet } from '../api/support.ts';
import { freshServerDatabase, resultsOf, runBatchOn } from '../support/batch.ts';
import { startCli, waitForLines } from '../support/children.ts';

const server = process.env.TEST_DATABASE_URL;

describe.skipIf(!server)('three workers on a PostgreSQL server, one killed mid-shard', () => {
  const dir = mkdtempSync(join(tmpdir(), 'passerelles-workers-'));
  let drop = async () => {};
  let store: Store;
  let killedPid = 0;
  let killedShard = '';
  let busy: unknown;
  let coordinatorOut = '';
  let workers: ReturnType<typeof startCli>[] = [];

  beforeAll(async () => {
    const db = await freshServerDatabase();
    drop = db.drop;
    store = await openStore({ dataDir: '', databaseUrl: db.url });
    await importDevSet(store, loadGeography());
    const env = {
      DATABASE_URL: db.url, PASSERELLES_REPORTS_DIR: join(dir, 'reports'), PASSERELLES_BATCH_SHARD_SIZE: '5',
      PASSERELLES_BATCH_SHARD_DELAY_MS: '300', PASSERELLES_BATCH_SHARD_TIMEOUT_S: '3', LOG_LEVEL: 'info',
      PASSERELLES_BATCH_THREADS: '2', // two ranking threads each, whatever the machine's cores
    };
    workers = [0, 1, 2].map(() => startCli(['worker'], env));
    await Promise.all(workers.map((w) => waitForLines(w, 'worker_ready', 1)));
    const coordinator = startCli(['batch', '--queue', '--as-of', '2026-12-01'], env);

    const victim = workers[0];
    await waitForLines(victim, 'shard_started', 1);
    victim.process.kill('SIGKILL');
    killedPid = victim.process.pid!;
    killedShard = JSON.parse(victim.stderr.split('\n').find((l) => l.includes('shard_started'))!).shard;
    busy = await runBatchOn(store, { asOf: '2026-12-01' }).catch((e) => e);

    expect(await coordinator.exited).toBe(0);
    coordinatorOut = coordinator.stdout;
  }, 240_000);

  afterAll(async () => {
    for (const w of workers) if (w.process.exitCode === null && w.process.signalCode === null) w.process.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await store?.close();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses another run while one is going on', () => {
    expect(busy).toMatchObject({ code: 'batch.busy', status: 409 });
  });

  it('finishes every shard, the killed worker’s one by another worker', async () => {
    const shards = await store.rows<{ key: string; status: string; worker: string }>(sql`select key, status, worker from batch_shards where run_id = 1`);
    expect(shards.length).toBeGreaterThan(20);
    expect(shards.every((s) => s.status === 'done')).toBe(true);
    const taken = shards.find((s) => s.key === killedShard)!;
    expect(taken.worker.startsWith(`${killedPid}@`)).toBe(false);
    expect(coordinatorOut).toMatch(/écrites par [23] processus/);
  });

  it('lets a worker with ranking threads hold two shards at once (its threads rank one while it commits the other)', () => {
    // After its first shard (the threads build their index meanwhile, longer than the test's 3 s shard timeout).
    const most = workers.slice(1).map((w) => {
      let held = 0, top = 0, first = true;
      for (const line of w.stderr.split('\n')) {
        if (line.includes('"shard_started"')) held++;
        else if (line.includes('"shard_done"') || line.includes('"shard_failed"')) { held--; first = false; }
        if (!first) top = Math.max(top, held);
      }
      return top;
    });
    // at least two (one at a time would give 1); a shard that expired meanwhile (3 s here) may be taken while its first taker finishes
    expect(most.every((n) => n >= 2)).toBe(true);
  });

  it('writes each query once, with the results of a run in one process', async () => {
    const [{ n, distinct }] = await store.rows<{ n: number; distinct: number }>(sql`select count(*) as n, count(distinct (kind, query_id)) as distinct from batch_results where run_id = 1`);
    expect([Number(n), Number(distinct)]).toEqual([120, 120]);
    const local = await runBatchOn(store, { asOf: '2026-12-01' });
    expect(await resultsOf(store, 1)).toEqual(await resultsOf(store, local.run.id));
  });
});
