/**
 * Ranking threads of a worker process (batch.threads.ts): each builds its own index from the
 * server's database and ranks every other query of a shard; the rows, put back in the shard's
 * order, are those of ranking the shard in one thread.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchRepository, type Shard } from '../../src/batch/batch.repository.ts';
import { inProcessRanker, runRequest } from '../../src/batch/batch.run.ts';
import { QuerySets } from '../../src/batch/batch.shard.ts';
import { interleave, startRankingThreads, type RankingThreads } from '../../src/batch/batch.threads.ts';
import { openStore, type Store } from '../../src/db/open.ts';
import { loadGeography } from '../../src/geo/geography.ts';
import { loadMatchingFiles } from '../../src/matching/matching.models.ts';
import { buildIndexFromStore } from '../../src/matching/matching.sync.ts';
import { importDevSet } from '../api/support.ts';
import { freshServerDatabase, runBatchOn } from '../support/batch.ts';

describe('interleave', () => {
  it('puts the rows of the parts back in the order of the queries they were dealt from', () => {
    expect(interleave([['q0', 'q2', 'q4'], ['q1', 'q3']])).toEqual(['q0', 'q1', 'q2', 'q3', 'q4']);
    expect(interleave([['q0'], [], []])).toEqual(['q0']);
  });

  it('refuses parts that no dealing can give (a thread lost rows)', () => {
    expect(() => interleave([['q0'], ['q1', 'q3']])).toThrow(/incohérentes/);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('ranking threads on a PostgreSQL server', () => {
  let drop = async () => {};
  let store: Store;
  let threads: RankingThreads;

  beforeAll(async () => {
    const db = await freshServerDatabase();
    drop = db.drop;
    store = await openStore({ dataDir: '', databaseUrl: db.url });
    await importDevSet(store, loadGeography());
    threads = startRankingThreads({ threads: 2, databaseUrl: db.url });
  }, 60_000);

  afterAll(async () => {
    await threads?.close();
    await store?.close();
    await drop();
  });

  it('rank every shard of a run as one thread does, with the same pairs scored', async () => {
    const { run } = await runBatchOn(store, { asOf: '2026-12-01' });
    const shards: Shard[] = await createBatchRepository(store).shards(run.id, 'done');
    const index = await buildIndexFromStore(store, loadMatchingFiles().thesaurus);
    const inProcess = inProcessRanker(index, new QuerySets(index), runRequest(run));
    expect(shards.length).toBeGreaterThan(10);
    let queries = 0, longest = 0;
    for (const shard of shards) {
      const [alone, spread] = [await inProcess(shard), await threads.rank(run, shard)];
      queries += alone.results.length;
      longest = Math.max(longest, alone.results.length);
      expect(spread).toEqual(alone);
    }
    expect([queries, longest]).toEqual([120, 7]);
  }, 120_000);
});
