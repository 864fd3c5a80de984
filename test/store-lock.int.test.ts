import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockPathOf } from '../src/db/lock.ts';
import { openStore } from '../src/db/open.ts';

describe('the embedded database on disk', () => {
  const root = mkdtempSync(join(tmpdir(), 'passerelles-lock-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('refuses a second opener while the first holds it, naming the process, and opens again once closed', async () => {
    const dataDir = join(root, 'data');
    const first = await openStore({ dataDir, migrate: false });
    await expect(openStore({ dataDir, migrate: false })).rejects.toMatchObject({ code: 'db.locked', message: expect.stringContaining(`PID ${process.pid}`) });
    await first.close();
    expect(existsSync(lockPathOf(dataDir))).toBe(false);
    const again = await openStore({ dataDir, migrate: false });
    await again.close();
  });

  it('takes over the lock a killed process left behind', async () => {
    const dataDir = join(root, 'stale');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(`${dataDir}.lock`, `${gone}\n`);
    const store = await openStore({ dataDir, migrate: false });
    await store.close();
    expect(existsSync(lockPathOf(dataDir))).toBe(false);
  });

  it('refuses a second opener that reaches the same folder through a symbolic link, either way round', async () => {
    const dataDir = join(root, 'real');
    mkdirSync(dataDir);
    const link = join(root, 'link');
    symlinkSync(dataDir, link);
    const first = await openStore({ dataDir, migrate: false });
    await expect(openStore({ dataDir: link, migrate: false })).rejects.toMatchObject({ code: 'db.locked' });
    await first.close();
    const throughLink = await openStore({ dataDir: link, migrate: false });
    await expect(openStore({ dataDir, migrate: false })).rejects.toMatchObject({ code: 'db.locked' });
    await throughLink.close();
    expect(existsSync(lockPathOf(dataDir))).toBe(false);
  });
});
