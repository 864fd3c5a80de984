/**
 * The embedded database on a thread of its own (src/db/pglite.remote.ts), as the service opens it:
 * the same rows as on the opener's thread, whatever their types; transactions that commit, roll
 * back and nest, with the statements sent outside one waiting for its end; PostgreSQL's errors with
 * their fields; and a closed or stopped thread answering as an unreachable database.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUnavailable } from '../src/db/errors.ts';
import { openPgliteThread } from '../src/db/pglite.remote.ts';
import { openStore, type Store } from '../src/db/open.ts';
import { apiKeys, float32Bytes, rankings } from '../src/db/schema.ts';

const ranking = (id: string) => ({
  id, servedAt: new Date('2026-12-06T08:00:00.123Z'), keyId: null, role: 'delegate', requester: 'operateur', queryKind: 'structure',
  queryId: 's-1', asOf: '2026-12-06', modelVersion: 'v1', featureNames: ['a', 'b'], source: 'test', swappedAt: 2,
  positions: [1, 2], candidateIds: ['r-1', "r-2 l'été"], scores: [0.5, 1 / 3], features: float32Bytes([1, 2, 3, 4]), teams: ['current', 'candidate'],
});

describe('the embedded database on a thread of its own', () => {
  let here: Store;
  let thread: Store;
  beforeAll(async () => {
    [here, thread] = await Promise.all([openStore({ dataDir: 'memory://' }), openStore({ dataDir: 'memory://', thread: true })]);
  });
  afterAll(async () => { await Promise.all([here?.close(), thread?.close()]); });

  it('gives back the rows the opener’s own thread gives, through drizzle and raw SQL, whatever their types', async () => {
    for (const store of [here, thread]) await store.db.insert(rankings).values(ranking('rk-1'));
    const read = (store: Store) => store.db.select().from(rankings).where(eq(rankings.id, 'rk-1'));
    const [mine, theirs] = await Promise.all([read(here), read(thread)]);
    expect(theirs).toEqual(mine);
    expect(theirs[0]).toMatchObject({ servedAt: new Date('2026-12-06T08:00:00.123Z'), candidateIds: ['r-1', "r-2 l'été"], scores: [0.5, 1 / 3] });
    expect(theirs[0].features).toBeInstanceOf(Uint8Array);

    const raw = (store: Store) => store.rows(sql`select 12345678901234::bigint as big, '{"a": [1, null]}'::jsonb as doc, now()::date as day,
      interval '1 day' as span, ${'x'}::text as param, ${new Date('2026-01-02T03:04:05Z')}::timestamptz as at, null::int as nothing`);
    expect(await raw(thread)).toEqual(await raw(here));
  });

  it('commits a transaction, rolls one back on an error, nests with savepoints, and makes the others wait for its end', async () => {
    let outside: Promise<{ n: number }[]> | undefined;
    await thread.db.transaction(async (tx) => {
      await tx.insert(rankings).values(ranking('rk-tx-1'));
      await tx.transaction(async (inner) => {
        await inner.insert(rankings).values(ranking('rk-tx-2'));
        inner.rollback();
      }).catch(() => {});
      // sent outside the transaction: waits for its end instead of joining it
      outside = thread.rows<{ n: number }>(sql`select count(*)::int as n from rankings where id like 'rk-tx-%'`);
      const first = await Promise.race([outside.then(() => 'outside'), new Promise((r) => setTimeout(() => r('waiting'), 150))]);
      expect(first).toBe('waiting');
      await tx.insert(rankings).values(ranking('rk-tx-3'));
    });
    expect(await outside).toEqual([{ n: 2 }]);
    await expect(thread.db.transaction(async (tx) => {
      await tx.insert(rankings).values(ranking('rk-tx-4'));
      throw new Error('abandon');
    })).rejects.toThrow('abandon');
    const ids = await thread.rows<{ id: string }>(sql`select id from rankings where id like 'rk-tx-%' order by id`);
    expect(ids.map((r) => r.id)).toEqual(['rk-tx-1', 'rk-tx-3']);
  });

  it('reports PostgreSQL’s errors with their code and detail, not as an unreachable database', async () => {
    const key = { id: 'key-1', keyHash: 'h1', role: 'admin' };
    await thread.db.insert(apiKeys).values(key);
    await here.db.insert(apiKeys).values(key);
    const failure = await thread.db.insert(apiKeys).values(key).then(() => undefined, (e: unknown) => e as Error & { cause?: Record<string, unknown> });
    expect(failure).toBeInstanceOf(Error);
    expect(failure?.cause).toMatchObject({ code: '23505', detail: expect.stringContaining('key-1') as string });
    expect(isUnavailable(failure)).toBe(false);
    // named as on the opener's thread (describeDbError logs it), with the frames of the call that sent it
    const mine = await here.db.insert(apiKeys).values(key).then(() => undefined, (e: unknown) => e as Error & { cause?: Error });
    expect(failure?.cause?.constructor.name).toBe(mine?.cause?.constructor.name);
    expect(failure?.cause?.stack).toMatch(/--- sent from ---[^]*drizzle-orm/);
    await expect(thread.rows(sql`select * from no_such_table`)).rejects.toMatchObject({ cause: { code: '42P01' } });
  });

  it('answers every call after its close as an unreachable database', async () => {
    const store = await openStore({ dataDir: 'memory://', thread: true, migrate: false });
    await store.rows(sql`select 1`);
    await store.close();
    const failure = await store.rows(sql`select 1`).catch((e: unknown) => e);
    expect(isUnavailable(failure)).toBe(true);
  });

  it('tells once when its thread stops by itself, and answers every call after as an unreachable database', async () => {
    const stopped: Error[] = [];
    const remote = await openPgliteThread('memory://', {
      entry: new URL('./fixtures/threads/dies-after-open.mjs', import.meta.url), onFatal: (e) => stopped.push(e),
    });
    expect(await remote.client.query('select 1 as n')).toMatchObject({ rows: [{ n: 1 }] });
    await new Promise((r) => setTimeout(r, 300));
    expect(stopped).toHaveLength(1);
    expect(isUnavailable(stopped[0])).toBe(true);
    expect(isUnavailable(await remote.client.query('select 1').catch((e: unknown) => e))).toBe(true);
    await remote.close();
    expect(stopped).toHaveLength(1);
  });

  it('does not call a close a failure, and closes once when asked twice', async () => {
    const stopped: Error[] = [];
    const remote = await openPgliteThread('memory://', { onFatal: (e) => stopped.push(e) });
    await remote.client.query('select 1');
    await Promise.all([remote.close(), remote.close()]);
    expect(stopped).toEqual([]);
  });
});
