/**
 * Migrated, empty embedded databases without initdb. PGlite's initdb costs 1.5 to 4 s of CPU for each
 * new database, in memory or in a folder, and the suite makes about fifty. The first test process of a
 * run that needs one makes a dump (in memory) or a data folder (on disk) from the migrations and keeps
 * it in the temporary folder, named by a hash of the migrations and of PGlite's version; every other
 * database starts from it. What a first start does on an empty folder (initdb, every migration) stays
 * tested where it is the point: the README's commands (a new checkout's first start), the store lock
 * and db-thread tests (databases opened by openStore itself).
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/db/open.ts';

const MIGRATIONS = new URL('../../src/db/migrations/', import.meta.url).pathname;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
}

let keyOnce: Promise<string> | undefined;
/** What the template depends on: every migration file and PGlite's package (its version). */
function templateKey(): Promise<string> {
  keyOnce ??= (async () => {
    const hash = createHash('sha256');
    hash.update(await readFile(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url)));
    for (const file of await filesUnder(MIGRATIONS)) hash.update(file.slice(MIGRATIONS.length)).update(await readFile(file));
    return hash.digest('hex').slice(0, 16);
  })();
  return keyOnce;
}

/** Where the template of this key is kept, with `suffix` (`.tar` for the dump, nothing for the folder). */
const templatePath = async (suffix: string) => join(tmpdir(), `passerelles-test-template-${await templateKey()}${suffix}`);

const exists = (path: string) => stat(path).then(() => true, () => false);

/** Makes `path` with `make(temporaryPath)` unless it exists; concurrent makers each write their own copy and one rename wins. */
async function madeOnce(path: string, make: (temporary: string) => Promise<void>): Promise<void> {
  if (await exists(path)) return;
  const temporary = `${path}.${process.pid}.${Date.now()}`;
  try {
    await make(temporary);
    await rename(temporary, path).catch(async (e: NodeJS.ErrnoException) => {
      if (!(await exists(path))) throw e; // another process renamed its copy first: keep that one
    });
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
}

let dumpOnce: Promise<Blob> | undefined;
/** A dump of a migrated, empty embedded database, for `openStore({ dataDir: 'memory://', loadDataDir })`. */
export function migratedDump(): Promise<Blob> {
  dumpOnce ??= (async () => {
    const path = await templatePath('.tar');
    await madeOnce(path, async (temporary) => {
      const store = await openStore({ dataDir: 'memory://' });
      try {
        const client = (store.db as unknown as { $client: { dumpDataDir(c: 'none'): Promise<Blob> } }).$client;
        await writeFile(temporary, Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer()));
      } finally {
        await store.close();
      }
    });
    return new Blob([await readFile(path)]);
  })();
  return dumpOnce;
}

/** Fills the data folder `dataDir` (absent or empty) with a migrated, empty embedded database, as a first start would. */
export async function seedDataFolder(dataDir: string): Promise<void> {
  const template = await templatePath('');
  await madeOnce(template, async (temporary) => {
    const store = await openStore({ dataDir: temporary });
    await store.close();
  });
  await mkdir(dataDir, { recursive: true });
  await cp(template, dataDir, { recursive: true });
}
