/**
 * A PostgreSQL server that stops under traffic, on an instance of this file's own (initdb + pg_ctl
 * in a temporary folder, test/support/throwaway-pg.ts; never the shared test server):
 * - the API under writes and matches while the database is down ~10 s: every request is answered
 *   (from a second into the outage: writes 503 with Retry-After, matches from memory, each within a
 *   second), /readyz says why it is not ready, everything recovers without a restart, and every
 *   write that was acknowledged (2xx) is in the database and matchable afterwards;
 * - the index converges with the database by itself: records committed but missed by the index
 *   (an import whose catch-up failed when the server stopped) reach it once the server is back,
 *   /readyz showing `index_sync` meanwhile;
 * - a command-line import cut by the server's stop ends with `Erreur [db.unreachable]` and exit
 *   code 1 (not postgres.js's stray TypeError), the database left as it was;
 * - LISTEN (the following of other instances) is established again within seconds of the restart.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../src/access/access.policy.ts';
import { createApp } from '../../src/api/app.ts';
import { startServer, type RunningServer } from '../../src/api/server.ts';
import { actorOf } from '../../src/audit/audit.repository.ts';
import { loadConfig } from '../../src/config/config.ts';
import { openStore, type Store } from '../../src/db/open.ts';
import { openFeedbackLoop, type FeedbackLoop } from '../../src/feedback/feedback.loop.ts';
import { loadGeography } from '../../src/geo/geography.ts';
import { importRecords } from '../../src/importer/index.ts';
import { createApiKey } from '../../src/keys/keys.usecases.ts';
import { createKeysRepository } from '../../src/keys/keys.repository.ts';
import { followWrites } from '../../src/matching/matching.follow.ts';
import { followStore } from '../../src/matching/matching.listen.ts';
import { createRecords } from '../../src/records/records.usecases.ts';
import type { Matching } from '../../src/matching/matching.usecases.ts';
import { AS_OF, BASE_ENV, buildMatching, client, DEV_DIR, importDevSet, newStructure, type Call, type Reply } from '../api/support.ts';
import { BIN } from '../support/batch.ts';
import { missingReason, startThrowaway, throwawayBinaries, type ThrowawayServer } from '../support/throwaway-pg.ts';

const bin = throwawayBinaries();
if (!bin) console.warn(`⚠ ${missingReason}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timeout: ${what}`);
    await sleep(100);
  }
}

/** 2,000 structures made from the dev set's under new ids: an import that takes a few seconds. */
function bigFile(dir: string, prefix: string, n: number): string {
  const lines = readFileSync(`${DEV_DIR}/structures.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as object);
  const path = join(dir, `${prefix}.jsonl`);
  writeFileSync(path, `${Array.from({ length: n }, (_, i) => JSON.stringify({ ...lines[i % lines.length], id: `${prefix}-${i}` })).join('\n')}\n`);
  return path;
}

describe.skipIf(!bin)('a PostgreSQL server stopped under traffic', () => {
  let pg: ThrowawayServer;
  let store: Store;
  let matching: Matching;
  let feedback: FeedbackLoop;
  let server: RunningServer;
  let call: Call;
  let admin: string;
  const sync = followWrites(pino({ level: 'silent' }), { first: 250, max: 1000 });
  const dir = mkdtempSync(join(tmpdir(), 'passerelles-faults-'));

  beforeAll(async () => {
    pg = await startThrowaway(bin!);
    store = await openStore({ databaseUrl: pg.url, dataDir: '' });
    const geography = loadGeography();
    await importDevSet(store, geography);
    matching = await buildMatching(store);
    sync.attach(store, matching.index);
    const logger = pino({ level: 'silent' });
    const config = loadConfig({ ...BASE_ENV, PASSERELLES_SWAP_SHARE: '0' });
    feedback = await openFeedbackLoop({ store, matching, config, logger, source: 'api', now: () => new Date(`${AS_OF}T12:00:00Z`), intervalMs: 20 });
    feedback.start();
    const app = createApp({ config, logger, store, matching, geography, feedback, indexSync: sync });
    server = await startServer({ app, port: 0, host: '127.0.0.1', logger, shutdownTimeoutMs: 2000 });
    call = client(server.url);
    admin = (await createApiKey({
      keys: createKeysRepository(store), isRegion: (code: string) => geography.region(code) !== undefined,
      structureExists: async () => true, actor: actorOf(OPERATOR),
    }, { role: 'admin', label: 'faults admin' })).key;
  }, 120_000);

  afterAll(async () => {
    sync.stop();
    await server?.close();
    await feedback?.stop().catch(() => {});
    await store?.close();
    pg?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every request during a 10 s outage, says why on /readyz, and loses no acknowledged write', async () => {
    const acknowledged: string[] = [];
    const answers: { status: number; ms: number; during: boolean; settled: boolean; kind: string; retryAfter: string | null }[] = [];
    let down = false;
    let downSince = Infinity;
    let stop = false;
    let n = 0;
    const traffic = async (worker: number) => {
      while (!stop) {
        const id = `fault-w${worker}-${n++}`;
        const t = performance.now();
        const during = down;
        const write: Reply = await call('POST', '/api/v1/structures', { key: admin, json: newStructure(id) });
        answers.push({ status: write.status, ms: performance.now() - t, during, settled: during && t > downSince + 1000, kind: 'write', retryAfter: write.headers.get('retry-after') });
        if (write.status >= 200 && write.status < 300) acknowledged.push(id);
        const t2 = performance.now();
        const match = await call('GET', '/api/v1/structures/dev-s06/matches?limit=3', { key: admin });
        answers.push({ status: match.status, ms: performance.now() - t2, during, settled: during && t2 > downSince + 1000, kind: 'match', retryAfter: match.headers.get('retry-after') });
        await sleep(50);
      }
    };
    const workers = [0, 1, 2].map(traffic);
    await sleep(1500);
    pg.stop();
    downSince = performance.now();
    down = true;
    await sleep(1000);
    const ready = await call('GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.database).toEqual({ ok: false, detail: expect.stringContaining('injoignable') });
    await sleep(9000);
    pg.start();
    down = false;
    await until(async () => (await call('GET', '/readyz')).status === 200, 15_000, '/readyz 200 after the restart');
    await sleep(1500); // traffic again, on the renewed connections
    stop = true;
    await Promise.all(workers);

    const after = answers.filter((a) => !a.during);
    expect(after.at(-1)!.status).toBeLessThan(300); // recovered without a restart
    expect(answers.every((a) => a.status > 0)).toBe(true);
    // A second into the outage: writes get 503 with Retry-After, matches are served from memory,
    // each within a few seconds (under a second on a quiet machine; 1.5 s seen at load 20, against
    // up to 12 s when every request waited for the database); nothing is left hanging at any time.
    const settled = answers.filter((a) => a.settled);
    expect(settled.filter((a) => a.kind === 'write').length).toBeGreaterThan(10);
    expect(settled.filter((a) => a.kind === 'write').map((a) => [a.status, a.retryAfter !== null])).toEqual(
      settled.filter((a) => a.kind === 'write').map(() => [503, true]));
    expect(settled.filter((a) => a.kind === 'match').every((a) => a.status === 200)).toBe(true);
    expect(Math.max(...settled.map((a) => a.ms))).toBeLessThan(3000);
    expect(answers.filter((a) => a.during).every((a) => a.status < 300 || a.status >= 500)).toBe(true);
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(12_000);

    expect(acknowledged.length).toBeGreaterThan(5);
    const rows = await store.rows<{ id: string }>(
      (await import('drizzle-orm')).sql`select id from structures where id like 'fault-w%'`);
    const stored = new Set(rows.map((r) => r.id));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    for (const id of acknowledged) expect(matching.index.getStructure(id), id).toBeDefined();
    const matched = await call('GET', `/api/v1/structures/${acknowledged.at(-1)}/matches?limit=3`, { key: admin });
    expect(matched.status).toBe(200);
  }, 90_000);

  it('brings records the index missed into it once the server is back, /readyz showing index_sync meanwhile', async () => {
    // An import committed but whose catch-up failed: the rows are in the database, not in the index.
    const before = new Date(Date.now() - 1000);
    const geography = loadGeography();
    const file = bigFile(dir, 'missed', 200);
    const other = await openStore({ databaseUrl: pg.url, dataDir: '' });
    await importRecords({ store: other, geography }, {
      kind: 'structure', format: 'jsonl', source: (await import('node:fs')).createReadStream(file), sourceName: 'missed.jsonl',
      actor: actorOf(OPERATOR), onReject: () => {},
    });
    await other.close();
    expect(matching.index.getStructure('missed-0')).toBeUndefined();
    pg.stop();
    sync.onWrite(before);
    await until(async () => sync.status() !== undefined, 5000, 'the follower says the index is behind');
    await sleep(1200);
    pg.start();
    await until(async () => {
      const ready = await call('GET', '/readyz');
      return ready.status === 200 && ready.body.index_sync?.behind === true;
    }, 15_000, '/readyz 200 with index_sync').catch(() => {}); // it may already have caught up
    await until(async () => sync.status() === undefined, 15_000, 'the index caught up');
    expect(matching.index.getStructure('missed-0')).toBeDefined();
    expect(matching.index.getStructure('missed-199')).toBeDefined();
    const ready = await call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.index_sync).toBeUndefined();
    expect((await call('GET', '/api/v1/structures/missed-199/matches?limit=3', { key: admin })).status).toBe(200);
  }, 60_000);

  it('ends a command-line import cut by the server’s stop with db.unreachable and exit 1, the database unchanged', async () => {
    const file = bigFile(dir, 'cut', 20_000);
    const child = spawn(process.execPath, [BIN, 'import', 'structures', file], {
      env: { ...process.env, DATABASE_URL: pg.url, LOG_LEVEL: 'silent', PASSERELLES_DEMO_DATA: 'false', DOTENV_CONFIG_QUIET: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const watcher = postgres(pg.url, { max: 1, onnotice: () => {} });
    await until(async () => (await watcher`select count(*)::int as n from pg_stat_activity where query ilike 'insert into "structures"%'`)[0].n > 0,
      60_000, 'the import writing its batches');
    await watcher.end();
    await sleep(200);
    pg.stop();
    const code = await exited;
    pg.start();
    expect(stderr).not.toContain('TypeError');
    expect(stderr).toContain('Erreur [db.unreachable]');
    expect(code).toBe(1);
    const check = postgres(pg.url, { max: 1, onnotice: () => {} });
    const [{ n }] = await check`select count(*)::int as n from structures where id like 'cut-%'`;
    await check.end();
    expect(n).toBe(0);
  }, 120_000);

  it('listens again soon after the server is back, and then follows what another instance writes', async () => {
    // What the follower said, printed if the record does not arrive (this case has failed on loaded CI machines).
    const said: string[] = [];
    const follower = await followStore({ databaseUrl: pg.url, store, index: matching.index, logger: pino({ level: 'debug' }, { write: (line: string) => { said.push(line); } }) });
    try {
      const mark = (what: string) => said.push(`${JSON.stringify({ time: Date.now(), test: what })}\n`);
      await follower.ready;
      mark('server stopping');
      pg.stop();
      mark('server stopped');
      await sleep(10_000);
      pg.start();
      mark('server started');
      const failed = (e: Error) => new Error(`${e.message}; ${follower.applied()} changes applied; the follower said:\n${said.join('')}`);
      // postgres.js's own delay between tries would have grown to 20 s over a 10 s outage; ours is
      // 0.5 s: the follower listens again within about a second of the server's return. Ten seconds
      // leave room for a loaded machine (the whole suite at once) and still tell the two apart.
      await until(async () => said.some((line) => line.includes('écoute rétablie')), 10_000, 'the follower listening again').catch((e: Error) => { throw failed(e); });
      mark('listening again');
      // Written by another instance (a store without this index): only LISTEN/NOTIFY brings it here.
      const other = await openStore({ databaseUrl: pg.url, dataDir: '' });
      await createRecords({ store: other, geography: loadGeography() }).create(OPERATOR, 'structure', newStructure('after-outage'));
      await other.close();
      mark('record written by the other instance');
      // Listening, it is told at once; the bound only covers a loaded machine.
      await until(async () => matching.index.getStructure('after-outage') !== undefined, 10_000, 'the notification of the new record')
        .catch((e: Error) => { throw failed(e); });
    } finally {
      await follower.stop();
    }
  }, 60_000);
});
