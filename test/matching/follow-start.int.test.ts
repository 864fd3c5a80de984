/**
 * On a PostgreSQL server, the following of other instances' changes starts where the loaded index
 * is complete (LoadedIndex.since), not ten minutes back: at national scale, re-applying the last
 * minutes of an import took most of a warm start. A change committed after that instant is still
 * applied. A change whose rows cannot be read when announced (the database refusing for a moment)
 * is brought by a catch-up tried again until it succeeds. A listening connection that stops
 * delivering without closing (half-open, dropped by a proxy) is found by the follower's probe and
 * replaced.
 */
import { createConnection, createServer, type Socket } from 'node:net';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../src/access/access.policy.ts';
import { openStore, type Store } from '../../src/db/open.ts';
import { loadGeography } from '../../src/geo/geography.ts';
import { followStore } from '../../src/matching/matching.listen.ts';
import { loadMatchingFiles } from '../../src/matching/matching.models.ts';
import { loadIndex } from '../../src/matching/matching.sync.ts';
import { createRecords } from '../../src/records/records.usecases.ts';
import { importDevSet, newStructure } from '../api/support.ts';
import { freshServerDatabase } from '../support/batch.ts';

const server = process.env.TEST_DATABASE_URL;

/** Waits up to 5 s for a structure to reach the index (the test's expectation then says whether it did). */
async function indexed(index: { getStructure(id: string): unknown }, id: string): Promise<void> {
  const until = Date.now() + 5000;
  while (!index.getStructure(id) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
}
const geography = loadGeography();

describe.skipIf(!server)('following a PostgreSQL server from a loaded index', () => {
  let db: { url: string; drop(): Promise<void> };
  let store: Store;

  beforeAll(async () => {
    db = await freshServerDatabase();
    store = await openStore({ dataDir: '', databaseUrl: db.url });
    await importDevSet(store, geography); // committed just now: inside the ten minutes once re-applied
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  /** A follower of `loaded` applies nothing at its start, then a structure created afterwards reaches the index. */
  async function appliesOnlyWhatComesAfter(loaded: Awaited<ReturnType<typeof loadIndex>>, options: { since: Date; stamps?: typeof loaded.stamps }, id: string) {
    const follower = await followStore({ databaseUrl: db.url, store, index: loaded.index, logger: pino({ level: 'silent' }), ...options });
    try {
      await follower.ready;
      expect(follower.applied()).toBe(0);
      await createRecords({ store, geography }).create(OPERATOR, 'structure', newStructure(id));
      await indexed(loaded.index, id);
      expect(loaded.index.getStructure(id)).toBeDefined();
    } finally {
      await follower.stop();
    }
  }
  it('re-applies none of the records the index was just built from, and still applies a change committed after it', async () => {
    // The records are older than the index's instant by more than the follower's margin (60 s).
    await store.rows(sql`update structures set updated_at = updated_at - interval '2 minutes'`);
    await store.rows(sql`update resources set updated_at = updated_at - interval '2 minutes'`);
    const loaded = await loadIndex(store, loadMatchingFiles());
    await appliesOnlyWhatComesAfter(loaded, { since: loaded.since }, 'follow-new-1');
  });

  it('brings a change announced while its rows could not be read, once the database answers again', async () => {
    const loaded = await loadIndex(store, loadMatchingFiles());
    let down = false;
    const refuse = () => { throw new Error('connexion refusée (simulée)'); };
    const refusing = new Proxy(store.db, { get: (target, prop, receiver) => (down ? refuse() : Reflect.get(target, prop, receiver) as unknown) });
    const flaky: Store = { ...store, db: refusing, rows: (query) => (down ? Promise.reject(new Error('connexion refusée (simulée)')) : store.rows(query)) };
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => { warnings.push(line); } });
    const follower = await followStore({ databaseUrl: db.url, store: flaky, index: loaded.index, logger, since: loaded.since });
    try {
      await follower.ready;
      down = true;
      await createRecords({ store, geography }).create(OPERATOR, 'structure', newStructure('follow-flaky-1'));
      const seen = Date.now() + 5000;
      while (warnings.length < 2 && Date.now() < seen) await new Promise((r) => setTimeout(r, 50));
      expect(warnings.join('')).toContain('rattrapage impossible');
      expect(loaded.index.getStructure('follow-flaky-1')).toBeUndefined();
      down = false;
      await indexed(loaded.index, 'follow-flaky-1');
      expect(loaded.index.getStructure('follow-flaky-1')).toBeDefined();
    } finally {
      down = false;
      await follower.stop();
    }
  });

  it('replaces a listening connection that silently stops delivering, and catches up what it missed', async () => {
    // A TCP proxy between the follower and the server; `drop()` keeps its open connections but
    // forwards nothing more on them (as a firewall or a NAT that forgot them), new ones pass.
    const target = new URL(db.url);
    const open: Socket[] = [];
    const proxy = createServer((client) => {
      const upstream = createConnection(Number(target.port || 5432), target.hostname);
      client.pipe(upstream).pipe(client);
      client.on('error', () => {}); upstream.on('error', () => {});
      open.push(client, upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const drop = () => { for (const s of open.splice(0)) { s.unpipe(); s.pause(); } };
    const viaProxy = new URL(db.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String((proxy.address() as { port: number }).port);
    const loaded = await loadIndex(store, loadMatchingFiles());
    const said: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => { said.push(line); } });
    const follower = await followStore({ databaseUrl: viaProxy.toString(), store, index: loaded.index, logger, since: loaded.since, probeEveryMs: 300 });
    try {
      await follower.ready;
      drop();
      await createRecords({ store, geography }).create(OPERATOR, 'structure', newStructure('follow-dropped-1'));
      await indexed(loaded.index, 'follow-dropped-1');
      expect(loaded.index.getStructure('follow-dropped-1')).toBeDefined();
      expect(said.join('')).toContain('connexion remplacée');
    } finally {
      await follower.stop();
      for (const s of open) s.destroy();
      proxy.close();
    }
  });

  it('leaves alone the records an index was just built from when given its stamps, however recently they were committed', async () => {
    // Committed just now: inside the follower's margin of 60 s, so a catch-up by instant alone would re-apply them all.
    await store.rows(sql`update structures set updated_at = clock_timestamp()`);
    await store.rows(sql`update resources set updated_at = clock_timestamp()`);
    const loaded = await loadIndex(store, loadMatchingFiles());
    await appliesOnlyWhatComesAfter(loaded, { since: loaded.since, stamps: loaded.stamps }, 'follow-stamped-1');
    const withoutStamps = await followStore({ databaseUrl: db.url, store, index: loaded.index, logger: pino({ level: 'silent' }), since: loaded.since });
    try {
      await withoutStamps.ready;
      expect(withoutStamps.applied()).toBeGreaterThan(100); // what the stamps saved
    } finally {
      await withoutStamps.stop();
    }
  });
});
