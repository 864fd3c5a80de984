/** Runs `passerelles` in-process through `main`, capturing stdout and stderr. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { seedDataFolder } from './templates.ts';

export class Capture extends Writable {
  text = '';
  constructor(readonly isTTY = false) { super(); }
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

export async function cli(argv: string[], tty = false) {
  const stdout = new Capture();
  const stderr = new Capture(tty);
  const code = await main(argv, { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/**
 * For a describe block whose commands run on the embedded database: a temporary folder whose
 * `data` is the data folder (DATABASE_URL unset, logs silent, `env` added), made before the
 * block's tests and removed after, the environment restored. `folder.dir` is its path. The data
 * folder starts migrated and empty, as after a first start (test/support/templates.ts).
 */
export function embeddedCliFolder(prefix: string, env: Record<string, string> = {}): { readonly dir: string } {
  const saved = { ...process.env };
  const folder = { dir: '' };
  beforeAll(async () => {
    folder.dir = await mkdtemp(join(tmpdir(), prefix));
    await seedDataFolder(join(folder.dir, 'data'));
    delete process.env.DATABASE_URL;
    Object.assign(process.env, { PASSERELLES_DATA_DIR: join(folder.dir, 'data'), LOG_LEVEL: 'silent' }, env);
  });
  afterAll(async () => {
    process.env = saved;
    await rm(folder.dir, { recursive: true, force: true });
  });
  return folder;
}
