/**
 * The databases every storage test runs against: the embedded PGlite always, and a PostgreSQL
 * server when TEST_DATABASE_URL is set (a fresh database is created per call and dropped after).
 *
 *   describe.each(storeKinds())('import on %s', (kind) => {
 *     let store: Store;
 *     beforeAll(async () => { store = await openTestStore(kind); });
 *     afterAll(() => store.close());
 *   });
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openStore, type Store } from '../../src/db/open.ts';
import { migratedDump } from './templates.ts';

export type StoreKind = 'pglite' | 'postgres';

const serverUrl = process.env.TEST_DATABASE_URL;
let noticeShown = false;

export function storeKinds(): StoreKind[] {
  if (!serverUrl && !noticeShown) {
    noticeShown = true;
    console.warn('⚠ TEST_DATABASE_URL absent : tests sur serveur PostgreSQL ignorés (PGlite seulement).');
  }
  return serverUrl ? ['pglite', 'postgres'] : ['pglite'];
}

/** Opens a migrated, empty store of that kind; close() also drops the server database. */
export async function openTestStore(kind: StoreKind): Promise<Store> {
  if (kind === 'pglite') return openStore({ dataDir: 'memory://', loadDataDir: await migratedDump() });
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `passerelles_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { onnotice: () => {}, max: 1 });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const store = await openStore({ dataDir: '', databaseUrl: url.toString() });
  return {
    ...store,
    async close() {
      await store.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}
