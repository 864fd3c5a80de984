/**
 * The ranking log in the store: a batch larger than one write goes in several transactions and
 * lands whole (every ranking with its items, values as served), and writing it again adds nothing.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/db/open.ts';
import { float32Values } from '../../src/db/schema.ts';
import { RankingItems, type RankingEntry } from '../../src/feedback/ranking-log.ts';
import { createRankingsRepository } from '../../src/feedback/rankings.repository.ts';
import { openTestStore, storeKinds } from '../support/stores.ts';

function entry(n: number): RankingEntry {
  return {
    id: `rk_test_${n}`, servedAt: new Date(Date.UTC(2026, 11, 1, 8, 0, n)), keyId: n % 2 ? 'key_a' : null, role: 'delegate',
    requester: n % 2 ? 'key_a' : 'operateur', queryKind: n % 3 ? 'structure' : 'resource', queryId: `q-${n}`, preview: n === 7,
    asOf: '2026-12-01', modelVersion: 'default-v5', featureNames: ['text', 'distance'], swappedAt: n === 4 ? 2 : null,
    source: 'api', interleavedWith: n === 5 ? 'candidate-v1' : undefined,
    items: RankingItems.of(Array.from({ length: 3 }, (_, i) => ({
      position: i + 1, candidateId: `c-${n}-${i}`, score: n + i / 7, features: [i / 3, 1 - n / 100],
      ...(n === 5 ? { team: i % 2 ? 'candidate' as const : 'current' as const } : {}),
    }))),
  };
}

describe.each(storeKinds())('the rankings repository on %s', (kind) => {
  let store: Store;
  beforeAll(async () => { store = await openTestStore(kind); });
  afterAll(() => store.close());

  it('writes a batch of several transactions whole, with every field as served, and adds nothing when it is written again', async () => {
    const repo = createRankingsRepository(store);
    const batch = Array.from({ length: 27 }, (_, n) => entry(n));
    await repo.insert(batch);
    await repo.insert(batch.slice(5, 20));

    const heads = await store.rows<Record<string, unknown>>(sql`select * from rankings order by served_at`);
    expect(heads).toHaveLength(27);
    expect(heads[4]).toMatchObject({ id: 'rk_test_4', key_id: null, requester: 'operateur', swapped_at: 2, query_kind: 'structure', feature_names: ['text', 'distance'] });
    expect(heads[5]).toMatchObject({ id: 'rk_test_5', key_id: 'key_a', interleaved_with: 'candidate-v1', query_kind: 'structure' });
    expect(heads[7]).toMatchObject({ preview: true, as_of: '2026-12-01', model_version: 'default-v5', source: 'api' });
    expect(new Date(heads[26].served_at as string).toISOString()).toBe('2026-12-01T08:00:26.000Z');

    const of = (id: string) => heads.find((h) => h.id === id) as {
      positions: number[]; candidate_ids: string[]; scores: (number | string)[]; features: Uint8Array; teams: string[] | null;
    };
    expect(of('rk_test_5')).toMatchObject({ positions: [1, 2, 3], candidate_ids: ['c-5-0', 'c-5-1', 'c-5-2'], teams: ['current', 'candidate', 'current'] });
    expect(of('rk_test_9').teams).toBeNull();
    expect(of('rk_test_9').scores.map(Number)).toEqual([9, 9 + 1 / 7, 9 + 2 / 7]);
    expect(float32Values(of('rk_test_9').features)).toEqual([0, 0.91, 1 / 3, 0.91, 2 / 3, 0.91].map(Math.fround));

    const read = await repo.findMany(['rk_test_26', 'rk_absent']);
    expect([...read.keys()]).toEqual(['rk_test_26']);
    expect([...read.get('rk_test_26')!.items]).toEqual([['c-26-0', 1], ['c-26-1', 2], ['c-26-2', 3]]);
  });

  it('writes a batch of 200 in 40 statements on the embedded database (each alone, about a millisecond; one when it has a thread of its own, which the write holds instead of the service’s), in one transaction on a server (round trips wait for a turn of a busy event loop)', async () => {
    const calls = { transaction: 0, execute: 0 };
    const db = new Proxy(store.db, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if ((name !== 'transaction' && name !== 'execute') || typeof value !== 'function') return value;
        return (...args: unknown[]) => { calls[name] += 1; return (value as (...a: unknown[]) => unknown).apply(target, args); };
      },
    });
    const repo = createRankingsRepository({ db, kind: store.kind });
    await repo.insert(Array.from({ length: 200 }, (_, n) => ({ ...entry(n), id: `rk_many_${n}` })));
    expect(calls).toEqual(kind === 'postgres' ? { transaction: 1, execute: 0 } : { transaction: 0, execute: 40 });
    expect(await store.rows(sql`select id from rankings where id like 'rk_many_%'`)).toHaveLength(200);
    if (kind === 'pglite') { // on a thread of its own, a write holds that thread only: the whole batch at once
      calls.execute = 0;
      await createRankingsRepository({ db, kind, thread: true }).insert(Array.from({ length: 200 }, (_, n) => ({ ...entry(n), id: `rk_thread_${n}` })));
      expect(calls).toEqual({ transaction: 0, execute: 1 });
    }
  });

  it('writes a ranking given twice in one batch once, with its items once', async () => {
    const repo = createRankingsRepository(store);
    const twice = { ...entry(3), id: 'rk_twice' };
    await repo.insert([twice, entry(40), twice]);
    expect(await store.rows(sql`select id from rankings where id = 'rk_twice'`)).toHaveLength(1);
    expect(await store.rows(sql`select unnest(positions) from rankings where id = 'rk_twice'`)).toHaveLength(3);
  });
});
