/**
 * The batch in-process over a test store (local mode), and helpers of the batch tests: a fresh
 * server database with its URL (for child processes), the dev set, the results of a run.
 */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import postgres from 'postgres';
import { createBatchRepository } from '../../src/batch/batch.repository.ts';
import { runBatch, type BatchOptions, type BatchOutcome } from '../../src/batch/batch.run.ts';
import { writeRunReports } from '../../src/batch/batch.reports.ts';
import { openStore, type Store } from '../../src/db/open.ts';
import { loadGeography } from '../../src/geo/geography.ts';
import { loadMatchingFiles } from '../../src/matching/matching.models.ts';
import { buildIndexFromStore } from '../../src/matching/matching.sync.ts';
import { importDevSet } from '../api/support.ts';
import type { StoreKind } from './stores.ts';
import { seedDataFolder } from './templates.ts';

export const BIN = new URL('../../bin/passerelles.mjs', import.meta.url).pathname;
export const quiet = pino({ level: 'silent' });

export async function runBatchOn(store: Store, options: Partial<BatchOptions> & { reportsDir?: string } = {}): Promise<BatchOutcome> {
  const files = loadMatchingFiles();
  const geography = loadGeography();
  return runBatch({
    store, logger: quiet, worker: 'test',
    index: () => buildIndexFromStore(store, files.thesaurus),
    currentModel: async () => files.model,
    ...(options.reportsDir ? { writeReports: (run) => writeRunReports({ store, geography, reportsDir: options.reportsDir!, goodScore: 0.5 }, run) } : {}),
  }, { asOf: '2026-12-01', k: 10, shardSize: 7, keepRuns: 5, trigger: 'test', mode: 'local', ...options });
}

/** A run's results as comparable lines: kind, query, candidates and scores, in order. */
export async function resultsOf(store: Store, runId: number): Promise<string[]> {
  const repo = createBatchRepository(store);
  const rows = [...await repo.results(runId, 'resource'), ...await repo.results(runId, 'structure')];
  return rows.map((r) => `${r.kind} ${r.queryId} ${r.region} ${r.candidates.map((c, i) => `${c}:${r.scores[i]}`).join(' ')}`);
}

const serverUrl = process.env.TEST_DATABASE_URL;

/** A fresh empty database on the test server, for child processes that need its URL. */
export async function freshServerDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `passerelles_batch_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { onnotice: () => {}, max: 1 });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/**
 * The database that child processes will share, holding the dev set: the data folder `env` names
 * (embedded, started from the migrated template: templates.ts), or a fresh database on the test
 * server whose URL is put in `env.DATABASE_URL`.
 * Returns how to open it from the test and how to drop it afterwards.
 */
export async function devSetForChildren(kind: StoreKind, env: Record<string, string>): Promise<{ open(): Promise<Store>; drop(): Promise<void> }> {
  let drop = async () => {};
  if (kind === 'postgres') {
    const db = await freshServerDatabase();
    env.DATABASE_URL = db.url;
    drop = db.drop;
  } else {
    await seedDataFolder(env.PASSERELLES_DATA_DIR!);
  }
  const open = () => openStore({ dataDir: env.PASSERELLES_DATA_DIR, databaseUrl: env.DATABASE_URL });
  const store = await open();
  try {
    await importDevSet(store, loadGeography());
  } finally {
    await store.close();
  }
  return { open, drop };
}
