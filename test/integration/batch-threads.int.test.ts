/**
 * Ranking threads of a worker process (batch.threads.ts): each loads its own index (the snapshot the
 * worker saved, brought up to date, or built from the server's database) and ranks every other query
 * of a shard; the rows, put back in the shard's order, are those of ranking the shard in one thread.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchRepository, type Shard } from '../../src/batch/batch.repository.ts';
import { inProcessRanker, previousTopKs, runRequest } from '../../src/batch/batch.run.ts';
import { QuerySets } from '../../src/batch/batch.shard.ts';
import { interleave, savedIndexForThreads, startRankingThreads, type RankingThreads } from '../../src/batch/batch.threads.ts';
import { openStore, type Store } from '../../src/db/open.ts';
import { loadGeography } from '../../src/geo/geography.ts';
import { loadMatchingFiles } from '../../src/matching/matching.models.ts';
import { buildIndexFromStore, loadIndex } from '../../src/matching/matching.sync.ts';
import { tableSnapshots } from '../../src/matching/matching.snapshot.ts';
import { importDevSet } from '../api/support.ts';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { rowsOf } from '../../src/db/open.ts';
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

describe('the worker process\'s preparation of a run', () => {
  it('saves the index for the threads the usual way when it cannot be encoded in memory, and says so', async () => {
    const said: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => { const o = JSON.parse(line); said.push(o.event ?? o.msg); } });
    let saves = 0;
    const prepare = savedIndexForThreads(undefined as never, logger, 'test', async () => ({
      encode: async () => { throw new RangeError('Array buffer allocation failed'); },
      save: async () => { saves++; return 1; },
    }));
    expect(await prepare()).toEqual({}); // the threads load the snapshot saved in the table
    expect(saves).toBe(1);
    expect(said).toEqual(['snapshot_not_encoded']);
  });
});

/** The rows of each shard, ranked one shard after the other. */
async function rankAll(ranker: (shard: Shard) => Promise<{ results: unknown[] }>, shards: Shard[]): Promise<unknown[][]> {
  const out = [];
  for (const shard of shards) out.push((await ranker(shard)).results);
  return out;
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('ranking threads on a PostgreSQL server', () => {
  let drop = async () => {};
  let store: Store;
  let threads: RankingThreads;
  let url = '';

  beforeAll(async () => {
    const db = await freshServerDatabase();
    drop = db.drop;
    url = db.url;
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

  it('seed each query with its top-10 of the run before, as one thread does: the same rows as unseeded, fewer pairs scored', async () => {
    await runBatchOn(store, { asOf: '2026-12-01' });
    const { run } = await runBatchOn(store, { asOf: '2026-12-01' });
    const shards = await createBatchRepository(store).shards(run.id, 'done');
    const index = await buildIndexFromStore(store, loadMatchingFiles().thesaurus);
    const sets = new QuerySets(index);
    const plain = inProcessRanker(index, sets, runRequest(run));
    const seeded = inProcessRanker(index, sets, runRequest(run), await previousTopKs(store, run.id));
    let plainPairs = 0, seededPairs = 0;
    for (const shard of shards) {
      const [spread, alone, unseeded] = [await threads.rank(run, shard), await seeded(shard), await plain(shard)];
      expect(spread).toEqual(alone);
      expect(spread.results).toEqual(unseeded.results);
      plainPairs += unseeded.pairs;
      seededPairs += spread.pairs;
    }
    expect(seededPairs).toBeLessThan(plainPairs);
  }, 120_000);

  it('catch the database\'s snapshot up exactly when a record changed since it was saved, and rank as a fresh build does', async () => {
    const loads: string[] = [];
    const own = startRankingThreads({ threads: 2, databaseUrl: url, onLoaded: (thread, loaded) => loads.push(`${thread}:${loaded.from} ${loaded.caughtUp ?? 0}`) });
    try {
      const { run } = await runBatchOn(store, { asOf: '2026-12-01' });
      const shards = await createBatchRepository(store).shards(run.id, 'done');
      await store.db.execute(sql`delete from index_snapshots`);
      await (await loadIndex(store, loadMatchingFiles(), { snapshots: tableSnapshots(store), rebuild: true })).save!();
      await store.db.execute(sql`update structures set updated_at = now(),
        record = record || '{"need_text": "Une chambre froide et un vélo-cargo pour nos paniers, et des bénévoles formés à la comptabilité"}'::jsonb
        where id = 'dev-s02'`);
      const fresh = await buildIndexFromStore(store, loadMatchingFiles().thesaurus);
      const got = await rankAll((shard) => own.rank(run, shard), shards);
      expect(loads.sort()).toEqual(['0:table 1', '1:table 1']);
      expect(got).toEqual(await rankAll(inProcessRanker(fresh, new QuerySets(fresh), runRequest(run)), shards));
    } finally {
      await own.close();
    }
  }, 120_000);

  it('load the index the worker built once from its memory, catch its snapshot up from its bytes after a few changes and from the worker\'s memory after more, load it alone when nothing changed, and rank as a fresh build does', async () => {
    const loads: string[] = [];
    const said: { event?: string; caughtUp?: number }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => { said.push(JSON.parse(line)); } });
    const prepared = startRankingThreads({
      threads: 2, databaseUrl: url, prepare: savedIndexForThreads(store, logger, 'test'),
      onLoaded: (thread, loaded) => loads.push(`${thread}:${loaded.from}${loaded.caughtUp ? ` ${loaded.caughtUp}` : ''}`),
    });
    const preparations = () => said.filter((o) => /^index_/.test(o.event ?? '')).map((o) => `${o.event}${o.caughtUp === undefined ? '' : ` ${o.caughtUp}`}`);
    const thesaurus = loadMatchingFiles().thesaurus;
    try {
      const first = (await runBatchOn(store, { asOf: '2026-12-01' })).run;
      const firstShards = await createBatchRepository(store).shards(first.id, 'done');
      await store.db.execute(sql`delete from index_snapshots`);
      await prepared.rank(first, firstShards[0]);
      expect(loads.sort()).toEqual(['0:memory', '1:memory']);
      expect(preparations()).toEqual(['index_to_build']);
      await prepared.settled(); // saved meanwhile, for the next run
      const saved = await rowsOf<{ n: number }>(store.db, sql`select count(*)::int as n from index_snapshots where completed_at is not null`);
      expect(saved[0].n).toBe(1);
      const before = await buildIndexFromStore(store, thesaurus);
      await store.db.execute(sql`update structures set updated_at = now(),
        record = record || '{"needs": ["logistics"], "need_text": "Nous cherchons un camion frigorifique et des tournées pour livrer nos colis alimentaires"}'::jsonb
        where id = 'dev-s01'`);
      const second = (await runBatchOn(store, { asOf: '2026-12-01' })).run;
      const shards = await createBatchRepository(store).shards(second.id, 'done');
      const after = await buildIndexFromStore(store, thesaurus);
      const now = await rankAll(inProcessRanker(after, new QuerySets(after), runRequest(second)), shards);
      loads.length = 0;
      const got = await rankAll((shard) => prepared.rank(second, shard), shards);
      expect(got).toEqual(now);
      // One record of 120 changed since the snapshot: the threads get its bytes and each catches it up
      // (that record analysed, every vector weighed with the idf of now); nothing built, nothing saved.
      expect(loads.sort()).toEqual(['0:memory 1', '1:memory 1']);
      expect(preparations()).toEqual(['index_to_build', 'index_to_catch_up']);
      // Ten more (11 of 120 since the snapshot, over SAVE_BEHIND_SHARE): the worker process catches it up
      // once, hands it to the threads and saves it. (Texts appended, not replaced: no spelling variant
      // changes hands, where a caught-up index and a build may differ: Index.withCurrentIdf.)
      await store.db.execute(sql`update structures set updated_at = now(),
        record = jsonb_set(record, '{need_text}', to_jsonb(coalesce(record->>'need_text', '') || ' Nous cherchons aussi un vélo-cargo pour nos tournées.'))
        where id in ('dev-s30', 'dev-s31', 'dev-s32', 'dev-s33', 'dev-s34', 'dev-s35', 'dev-s36', 'dev-s37', 'dev-s38', 'dev-s39')`);
      const third = (await runBatchOn(store, { asOf: '2026-12-01' })).run;
      const later = await buildIndexFromStore(store, thesaurus);
      const then = await rankAll(inProcessRanker(later, new QuerySets(later), runRequest(third)), shards);
      loads.length = 0;
      expect(await rankAll((shard) => prepared.rank(third, shard), shards)).toEqual(then);
      expect(loads.sort()).toEqual(['0:memory', '1:memory']);
      expect(preparations()).toEqual(['index_to_build', 'index_to_catch_up', 'index_caught_up 11']);
      await prepared.settled();
      // Nothing changed since: the threads load the snapshot the last run saved in the database.
      const fourth = (await runBatchOn(store, { asOf: '2026-12-01' })).run;
      loads.length = 0;
      expect(await rankAll((shard) => prepared.rank(fourth, shard), shards.slice(0, 3))).toEqual(then.slice(0, 3));
      expect(loads.sort()).toEqual(['0:table', '1:table']);
      // the change moves rankings: the index before it gives others
      expect(await rankAll(inProcessRanker(before, new QuerySets(before), runRequest(second)), shards)).not.toEqual(now);
    } finally {
      await prepared.close();
    }
  }, 120_000);

  it('prepare a run only once the snapshot still being saved is saved (within saveWaitMs), say why a thread could not use the bytes it was given, and stop without waiting for a save that never ends', async () => {
    const calls: string[] = [];
    const loads: { from: string; rejected?: string }[] = [];
    let finishSave = () => {};
    const firstSave = new Promise<void>((resolve) => { finishSave = resolve; });
    const abandoned: number[] = [];
    const pool = startRankingThreads({
      threads: 2, databaseUrl: url, saveWaitMs: 2000, onSaveAbandoned: (ms) => abandoned.push(ms),
      onLoaded: (_, loaded) => loads.push(loaded),
      prepare: async (run) => {
        calls.push(`prepare ${run.id}`);
        if (calls.length === 1) return { saved: firstSave };
        // bytes that are no snapshot: each thread rejects them and builds its own index
        const garbage = new SharedArrayBuffer(64);
        new Uint8Array(garbage).fill(7);
        return { bytes: garbage, saved: new Promise<void>(() => {}) };
      },
    });
    try {
      const first = (await runBatchOn(store, { asOf: '2026-12-01' })).run;
      const shards = await createBatchRepository(store).shards(first.id, 'done');
      await pool.rank(first, shards[0]);
      const second = (await runBatchOn(store, { asOf: '2026-12-01' })).run;
      const ranking = pool.rank(second, shards[0]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(calls).toEqual([`prepare ${first.id}`]); // the first run's snapshot is not saved yet
      finishSave();
      const got = await ranking;
      expect(calls).toEqual([`prepare ${first.id}`, `prepare ${second.id}`]);
      const index = await buildIndexFromStore(store, loadMatchingFiles().thesaurus);
      expect(got).toEqual(await inProcessRanker(index, new QuerySets(index), runRequest(second))(shards[0]));
      expect(loads.slice(2)).toEqual([
        expect.objectContaining({ from: 'build', rejected: 'format inconnu ou fichier incomplet' }),
        expect.objectContaining({ from: 'build', rejected: 'format inconnu ou fichier incomplet' }),
      ]);
    } finally {
      const closing = Date.now();
      await pool.close(); // the second save never ends
      expect(abandoned).toEqual([2000]);
      expect(Date.now() - closing).toBeLessThan(10_000);
    }
  }, 120_000);
});
