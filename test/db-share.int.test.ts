/**
 * The embedded database shared by the process that holds it (src/db/share.ts): another opener
 * connects through its socket instead of failing on the lock; a client's transaction is never
 * joined by the host's queries; what a client leaves open is rolled back; committed writes are
 * reported. Then end to end: a real `passerelles serve` and commands run beside it.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { lockPathOf, readLock } from '../src/db/lock.ts';
import { openStore, type Store } from '../src/db/open.ts';

const execFileAsync = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'passerelles-share-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const count = async (store: Store) => Number((await store.rows<{ n: number }>(sql`select count(*)::int as n from shared_probe`))[0].n);

describe.each([
  ['on the holder\'s thread', false], ['on a thread of its own', true],
])('an embedded database shared over its socket, %s', (_, thread) => {
  it('lets a second opener in through the holder, serialises transactions, reports commits and rolls back what is left open', async () => {
    const dataDir = join(root, thread ? 'thread' : 'inproc');
    const writes: Date[] = [];
    const host = await openStore({ dataDir, migrate: false, share: true, thread });
    await host.share!({ onWrite: (at) => writes.push(at) });
    expect(readLock(resolve(dataDir))?.share).toMatch(/\.sock$/);
    await host.rows(sql`create table shared_probe (n int)`);

    const client = await openStore({ dataDir });
    expect(client.sharedBy).toBeDefined();
    const before = new Date(Date.now() - 1);
    let hostSaw = -1;
    await client.db.transaction(async (tx) => {
      await tx.execute(sql`insert into shared_probe values (1), (2)`);
      // the host's query waits for the client's transaction instead of running inside it
      void count(host).then((n) => { hostSaw = n; });
      await new Promise((r) => setTimeout(r, 200));
      expect(hostSaw).toBe(-1);
      await tx.execute(sql`insert into shared_probe values (3)`);
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(hostSaw).toBe(3);
    expect(writes).toHaveLength(1);
    expect(writes[0].getTime()).toBeGreaterThanOrEqual(before.getTime());

    // a read reports nothing; a rolled back transaction neither
    await client.rows(sql`select 1`);
    await client.db.transaction(async (tx) => {
      await tx.execute(sql`insert into shared_probe values (4)`);
      tx.rollback();
    }).catch(() => {});
    expect(writes).toHaveLength(1);
    await client.close();

    // a client that dies inside a transaction leaves nothing behind, and the host goes on
    // (spawned asynchronously: this process serves the socket the child connects to)
    const child = await execFileAsync(process.execPath, ['--import', 'tsx', '-e', `
      import { openStore } from ${JSON.stringify(resolve('src/db/open.ts'))};
      import { sql } from 'drizzle-orm';
      const store = await openStore({ dataDir: ${JSON.stringify(dataDir)} });
      await store.rows(sql\`begin\`);
      await store.rows(sql\`insert into shared_probe values (5)\`);
      process.exit(0);
    `], { encoding: 'utf8', timeout: 60_000 }).catch((e: { stderr: string }) => ({ stderr: e.stderr, failed: true }));
    expect(child, child.stderr).not.toHaveProperty('failed');
    expect(await count(host)).toBe(3);

    await host.close();
    expect(existsSync(lockPathOf(resolve(dataDir)))).toBe(false);
    expect(existsSync(`${resolve(dataDir)}.sock`)).toBe(false);
  });

  it('a store opened without sharing still locks others out with db.locked', async () => {
    const dataDir = join(root, thread ? 'private-thread' : 'private');
    const first = await openStore({ dataDir, migrate: false, thread });
    await expect(openStore({ dataDir, migrate: false })).rejects.toMatchObject({ code: 'db.locked' });
    await first.close();
  });
});

describe('passerelles serve and the commands side by side on one data folder', () => {
  const dir = join(root, 'served');
  const env: NodeJS.ProcessEnv = { ...process.env, PASSERELLES_DATA_DIR: join(dir, 'data'), PORT: '0', LOG_LEVEL: 'warn', PASSERELLES_DEMO_DATA: 'false' };
  delete env.DATABASE_URL;
  let server: ChildProcess | undefined;
  afterAll(() => { server?.kill('SIGTERM'); });

  const run = (...args: string[]) => spawnSync(process.execPath, ['bin/passerelles.mjs', ...args], { env, encoding: 'utf8', timeout: 60_000 });

  it('creates a key, imports and matches while the service runs; the service serves what the commands wrote', async () => {
    server = spawn(process.execPath, ['bin/passerelles.mjs', 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    // a command started with the service waits for it to open the database
    const key = run('keys', 'create', '--role', 'admin', '--expires', '2099-12-31');
    expect(key.status, key.stderr).toBe(0);
    const url = await new Promise<string>((ok, ko) => {
      let out = '';
      server!.stdout!.on('data', (d) => { out += d; const m = /prêt : (http:\/\/\S+)/.exec(out); if (m) ok(m[1]); });
      server!.once('exit', (code) => ko(new Error(`serve exited ${code}`)));
    });
    const imported = run('import', 'structures', 'seed/cases/structures.jsonl');
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/16 insérées/);
    expect(run('import', 'resources', 'seed/cases/resources.jsonl').status).toBe(0);
    const match = run('match', '--structure', 'case-s03', '--limit', '1', '--as-of', '2026-12-01');
    expect(match.status, match.stderr).toBe(0);
    expect(match.stdout).toMatch(/case-r06/);

    const auth = { Authorization: `Bearer ${key.stdout.trim()}` };
    let answer: { results?: { id: string }[] } = {};
    for (let i = 0; i < 50 && !answer.results?.length; i++) {
      answer = await (await fetch(`${url}/api/v1/structures/case-s03/matches?limit=1&as_of=2026-12-01`, { headers: auth })).json() as typeof answer;
      if (!answer.results?.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(answer.results?.[0]?.id).toBe('case-r06');

    server.kill('SIGTERM');
    await new Promise((r) => server!.once('exit', r));
    server = undefined;
    expect(existsSync(`${env.PASSERELLES_DATA_DIR}.lock`)).toBe(false);
  }, 120_000);
});
