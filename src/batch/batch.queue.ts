/**
 * The shard queue of the distributed mode: pg-boss 10 on the PostgreSQL server (its own schema
 * `pgboss`). A job names a run and a shard. A worker killed mid-shard leaves its job active until
 * `shardTimeoutS`, after which pg-boss's maintenance hands it to another worker; the shard's
 * conditional commit (batch.repository.ts) makes sure its results are written once.
 */
import type { Logger } from '../config/logger.ts';
import type { ShardQueue } from './batch.run.ts';

export const SHARD_QUEUE = 'passerelles-batch-shards';

export interface ShardJob { runId: number; key: string }

export interface OpenQueue extends ShardQueue {
  /**
   * Takes jobs until stop(): one at a time, or `concurrency` at once (a process whose threads rank
   * one shard while it commits the previous one).
   */
  work(handler: (job: ShardJob) => Promise<void>, concurrency?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Arbitrary, fixed: the advisory lock key of the queue's setup. */
const SETUP_LOCK = 728_351_004;

async function oneAtATime(databaseUrl: string, work: () => Promise<void>): Promise<void> {
  const { default: postgres } = await import('postgres');
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${SETUP_LOCK})`;
    try { await work(); } finally { await sql`select pg_advisory_unlock(${SETUP_LOCK})`; }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function openShardQueue(options: { databaseUrl: string; shardTimeoutS: number; logger: Logger }): Promise<OpenQueue> {
  const { default: PgBoss } = await import('pg-boss');
  const expireInSeconds = options.shardTimeoutS;
  const boss = new PgBoss({
    connectionString: options.databaseUrl, max: 3, schema: 'pgboss',
    // Maintenance (which retries the jobs of vanished workers) often enough for the shard timeout.
    maintenanceIntervalSeconds: Math.max(1, Math.min(60, Math.floor(expireInSeconds / 2))),
  });
  boss.on('error', (e: Error) => options.logger.error({ err: e }, 'file des tranches : erreur'));
  // Workers started together would each install pg-boss's schema and create the queue (a
  // partition of its job table) at once, and PostgreSQL answers one of them « deadlock
  // detected »: the setup is taken one process at a time, under a session advisory lock.
  await oneAtATime(options.databaseUrl, async () => {
    await boss.start();
    if (!(await boss.getQueue(SHARD_QUEUE))) {
      await boss.createQueue(SHARD_QUEUE, { name: SHARD_QUEUE, retryLimit: 1000, retryDelay: 1, expireInSeconds });
    }
  });
  return {
    async enqueue(runId, keys) {
      for (let i = 0; i < keys.length; i += 500) {
        await boss.insert(keys.slice(i, i + 500).map((key) => ({
          name: SHARD_QUEUE, data: { runId, key }, expireInSeconds, retryLimit: 1000, retryDelay: 1,
        })));
      }
    },
    async work(handler, concurrency = 1) {
      for (let i = 0; i < concurrency; i++) {
        await boss.work<ShardJob>(SHARD_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => handler(job.data));
      }
    },
    stop: () => boss.stop({ graceful: true, wait: true, timeout: 10_000 }),
  };
}
