/**
 * Two `passerelles serve` processes on one PostgreSQL server: a record created, changed or
 * archived through one is matchable (or gone) through the other within 2 seconds, without a
 * rebuild (LISTEN/NOTIFY); after its listening connection is cut, an instance catches up with
 * what was committed meanwhile.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/db/open.ts';
import { loadGeography } from '../../src/geo/geography.ts';
import { createApiKey } from '../../src/keys/keys.usecases.ts';
import { createKeysRepository } from '../../src/keys/keys.repository.ts';
import { OPERATOR } from '../../src/access/access.policy.ts';
import { actorOf } from '../../src/audit/audit.repository.ts';
import { client, importDevSet, newResource, newStructure, type Call } from '../api/support.ts';
import { freshServerDatabase } from '../support/batch.ts';
import { startCli, type Child } from '../support/children.ts';

const server = process.env.TEST_DATABASE_URL;

async function urlOf(child: Child, timeoutMs = 90_000): Promise<string> {
  const started = Date.now();
  for (;;) {
    const m = /Passerelles est prêt : (http:\/\/\S+)/.exec(child.stdout);
    if (m) return m[1];
    if (Date.now() - started > timeoutMs || child.process.exitCode !== null) throw new Error(`serve did not start:\n${child.stderr.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Milliseconds until `check` holds (polled every 50 ms), or throws after `limitMs`. */
async function within(limitMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > limitMs) throw new Error(`not seen within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!server)('two API instances on one PostgreSQL server', () => {
  let drop = async () => {};
  let store: Store;
  let a: Child, b: Child;
  let callA: Call, callB: Call;
  let key: string;
  const asOf = 'as_of=2026-12-01';

  beforeAll(async () => {
    const db = await freshServerDatabase();
    drop = db.drop;
    store = await openStore({ dataDir: '', databaseUrl: db.url });
    const geography = loadGeography();
    await importDevSet(store, geography);
    key = (await createApiKey({ keys: createKeysRepository(store), isRegion: (c) => geography.region(c) !== undefined, structureExists: async () => true, actor: actorOf(OPERATOR) },
      { role: 'admin', label: 'instances' })).key;
    const env = { DATABASE_URL: db.url, PORT: '0', PASSERELLES_BATCH_CRON: 'off', LOG_LEVEL: 'info', PASSERELLES_RATE_LIMIT: '100000' };
    a = startCli(['serve'], env);
    b = startCli(['serve'], env);
    callA = client(await urlOf(a));
    callB = client(await urlOf(b));
  }, 180_000);

  afterAll(async () => {
    for (const c of [a, b]) if (c && c.process.exitCode === null) c.process.kill('SIGTERM');
    await Promise.all([a?.exited, b?.exited]);
    await store?.close();
    await drop();
  });

  it('sees within 2 s a structure created through the other', async () => {
    expect((await callB('GET', `/api/v1/structures/int-s1/matches?${asOf}`, { key })).status).toBe(404);
    expect((await callA('POST', '/api/v1/structures', { key, json: newStructure('int-s1') })).status).toBe(201);
    const ms = await within(2000, async () => (await callB('GET', `/api/v1/structures/int-s1/matches?${asOf}`, { key })).status === 200);
    expect(ms).toBeLessThan(2000);
  });

  it('ranks within 2 s a resource created through the other', async () => {
    expect((await callB('POST', '/api/v1/resources', { key, json: newResource('int-r1') })).status).toBe(201);
    await within(2000, async () => {
      const list = await callA('GET', `/api/v1/structures/int-s1/matches?${asOf}&limit=50`, { key });
      return list.body.results.some((r: { id: string }) => r.id === 'int-r1');
    });
  });

  it('sees within 2 s a change made through the other', async () => {
    expect((await callA('PATCH', '/api/v1/structures/int-s1', { key, json: { name: 'Atelier renommé' }, headers: { 'content-type': 'application/merge-patch+json' } })).status).toBe(200);
    await within(2000, async () => {
      const list = await callB('GET', `/api/v1/resources/int-r1/matches?${asOf}&limit=50`, { key });
      return list.body.results.some((r: { id: string; label: string }) => r.id === 'int-s1' && r.label === 'Atelier renommé');
    });
  });

  it('stops matching within 2 s a record archived through the other', async () => {
    expect((await callB('DELETE', '/api/v1/resources/int-r1', { key })).status).toBe(204);
    await within(2000, async () => (await callA('GET', `/api/v1/resources/int-r1/matches?${asOf}`, { key })).status === 404);
  });

  it('catches up by updated_at with what was committed while its listening connection was cut', async () => {
    const catchUps = () => b.stderr.split('\n').filter((l) => l.includes('suivi des fiches : rattrapage')).length;
    const before = catchUps();
    const cut = await store.rows(sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen%'`);
    expect(cut.length).toBe(2);
    expect((await callA('POST', '/api/v1/structures', { key, json: newStructure('int-s2') })).status).toBe(201);
    await within(10_000, async () => (await callB('GET', `/api/v1/structures/int-s2/matches?${asOf}`, { key })).status === 200);
    // B reconnected and caught up by updated_at (its log says so).
    await within(10_000, async () => catchUps() > before);
  });
});
