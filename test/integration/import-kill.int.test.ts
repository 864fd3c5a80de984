/**
 * kill -9 of `passerelles import` in the middle of its batches, on both databases: nothing of the
 * file is in the database (one transaction), and the same import run again completes. On the
 * embedded database this also opens the data folder the killed process held (its lock left behind,
 * PGlite's files not closed): the next command takes the lock over and finds the data intact.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockPathOf, readLock } from '../../src/db/lock.ts';
import { openStore, type Store } from '../../src/db/open.ts';
import { DEV_DIR } from '../api/support.ts';
import { devSetForChildren } from '../support/batch.ts';
import { startCli, waitForLines, type Child } from '../support/children.ts';
import { storeKinds } from '../support/stores.ts';
import { existsSync } from 'node:fs';

const RECORDS = 6000;

describe.each(storeKinds())('an import killed with kill -9 on %s', (kind) => {
  const dir = mkdtempSync(join(tmpdir(), 'passerelles-import-kill-'));
  const file = join(dir, 'many.jsonl');
  let env: Record<string, string>;
  let drop = async () => {};
  const open = (): Promise<Store> => openStore({ dataDir: env.PASSERELLES_DATA_DIR, databaseUrl: env.DATABASE_URL });
  const count = async (pattern: string) => {
    const store = await open();
    try {
      const [{ n }] = await store.rows<{ n: number }>(sql`select count(*)::int as n from structures where id like ${pattern}`);
      return Number(n);
    } finally { await store.close(); }
  };
  let killed: Child;
  let batchesBeforeKill = 0;

  beforeAll(async () => {
    env = { PASSERELLES_DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'debug' };
    ({ drop } = await devSetForChildren(kind, env));
    const lines = readFileSync(`${DEV_DIR}/structures.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as object);
    writeFileSync(file, `${Array.from({ length: RECORDS }, (_, i) => JSON.stringify({ ...lines[i % lines.length], id: `kill-${i}` })).join('\n')}\n`);

    killed = startCli(['import', 'structures', file], env);
    await waitForLines(killed, 'lot écrit', 2);
    killed.process.kill('SIGKILL');
    await killed.exited;
    batchesBeforeKill = killed.stderr.split('\n').filter((l) => l.includes('lot écrit')).length;
  }, 180_000);

  afterAll(async () => {
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('was killed between its batches, before its end', () => {
    expect(batchesBeforeKill).toBeGreaterThanOrEqual(2);
    expect(killed.stderr).not.toContain('import terminé');
  });

  it.runIf(kind === 'pglite')('left its lock behind, which the next opener takes over', async () => {
    expect(existsSync(lockPathOf(env.PASSERELLES_DATA_DIR))).toBe(true);
    expect(readLock(env.PASSERELLES_DATA_DIR)).toBeUndefined(); // its process no longer runs
  });

  it('left nothing of the file in the database, and the records there before intact', async () => {
    expect(await count('kill-%')).toBe(0);
    expect(await count('dev-s%')).toBe(40);
  });

  it('imports the whole file when run again', async () => {
    const again = startCli(['import', 'structures', file], { ...env, LOG_LEVEL: 'warn' });
    expect(await again.exited).toBe(0);
    expect(again.stdout).toContain(`${RECORDS} insérées`);
    expect(await count('kill-%')).toBe(RECORDS);
  }, 120_000);
});
