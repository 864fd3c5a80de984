/**
 * Nightly run at national scale: 200,000 structures × 50,000 resources (the seed generator), both
 * directions, top-10, on a PostgreSQL server; the run's time and throughput with 1, 2 and 4
 * `passerelles worker` processes (queued shards; each worker builds its index from the database
 * when its first shard arrives, which the time includes); then, on a random sample of 500 of the
 * run's queries, the recall of the exhaustive top-10 — every pair scored with the engine's
 * features and model (score.ts scorePair) over all candidates passing the hard constraints — in
 * the batch's top-10. A pair tied with the batch's 10th score counts as found (ties go by id).
 *
 * It also prints the CPU time of the workers' processes before the first shard is written (the
 * index built and loaded) and after (ranking), and the CPU a query cost in the one-worker run
 * beside what the same sampled queries cost ranked alone in this process: the two ranking threads
 * of a worker share the memory's bandwidth and caches, and how much they slow each other depends
 * on the machine.
 *
 * npm run bench:batch -- [--structures 200000] [--resources 50000] [--workers 1,2,4] [--sample 500]
 *   Server: BENCH_DATABASE_URL (or TEST_DATABASE_URL); a database `passerelles_bench_batch` is
 *   created there and kept between runs (the data is generated once).
 *   --recall-only: no new run; the figures of the benchmark's runs kept in the database, and the
 *   recall on the last one.
 *   --changed N: after each cold run, N records change (need texts and offers rewritten, structures
 *   added and archived: a day's changes), and the same run is made again from the snapshot the cold
 *   run saved, as on a usual night (the worker catches the snapshot up instead of building, and
 *   each query is seeded with its top-10 of the cold run). A cold run has neither: the snapshots
 *   and the results of earlier runs are deleted before it.
 *   BENCH_WORKER_LOG_LEVEL=info: the workers' log on standard error (where each thread's index came
 *   from and when, each shard), to see where a run's time goes; default warn.
 * Results: benchmarks/results/batch.json
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { openShardQueue } from '../src/batch/batch.queue.ts';
import { createBatchRepository } from '../src/batch/batch.repository.ts';
import { writeRunReports } from '../src/batch/batch.reports.ts';
import { runBatch, runRequest } from '../src/batch/batch.run.ts';
import { openStore, type Store } from '../src/db/open.ts';
import type { Resource, Structure } from '../src/domain/types.ts';
import { inAreaFast } from '../src/engine/candidates.ts';
import { Index } from '../src/engine/index.ts';
import { excludes, pairContext, scorePair } from '../src/engine/score.ts';
import { FEATURE_NAMES, type PairContext } from '../src/features/index.ts';
import { loadGeography } from '../src/geo/geography.ts';
import { loadMatchingFiles } from '../src/matching/matching.models.ts';
import type { ResourceProfile, StructureProfile } from '../src/profiles/profiles.ts';
import { cosine } from '../src/retrieval/documents.ts';
import { createRecordsRepository } from '../src/records/records.repository.ts';
import { generateResources, generateStructures } from '../seed/generator.ts';
import { processCpuMs } from './lib/proc.ts';
import { rankQuery } from '../src/batch/batch.shard.ts';

const { values } = parseArgs({ options: {
  structures: { type: 'string', default: '200000' },
  resources: { type: 'string', default: '50000' },
  workers: { type: 'string', default: '1,2,4' },
  sample: { type: 'string', default: '500' },
  k: { type: 'string', default: '10' },
  // Only the recall, on the last finished run; the runs' figures are read back from batch_runs.
  'recall-only': { type: 'boolean', default: false },
  // The run whose results are sampled (default: the last one); --no-recall keeps the recall of the previous results file.
  run: { type: 'string' },
  'no-recall': { type: 'boolean', default: false },
  changed: { type: 'string', default: '0' },
} });
const N_S = Number(values.structures), N_R = Number(values.resources), K = Number(values.k);
const WORKERS = values.workers.split(',').map(Number);
const AS_OF = '2026-12-01';
const round1 = (x: number) => Math.round(x * 10) / 10, round3 = (x: number) => Math.round(x * 1000) / 1000;
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!serverUrl) throw new Error('bench:batch needs a PostgreSQL server: BENCH_DATABASE_URL or TEST_DATABASE_URL');
const log = (...args: unknown[]) => console.error(new Date().toISOString().slice(11, 19), ...args);
const logger = pino({ level: 'warn' }, pino.destination(2));
const BIN = new URL('../bin/passerelles.mjs', import.meta.url).pathname;

// Data: generated once into a database of its own on the server.
const dbName = `passerelles_bench_batch_${N_S}_${N_R}`;
/** Ids of the structures a day of changes adds (--changed). */
const ADDED_PREFIX = 'nuit-';
const admin = postgres(serverUrl, { onnotice: () => {}, max: 1 });
if ((await admin`select 1 from pg_database where datname = ${dbName}`).length === 0) await admin.unsafe(`create database ${dbName}`);
await admin.end();
const url = new URL(serverUrl);
url.pathname = `/${dbName}`;
const databaseUrl = url.toString();
const store: Store = await openStore({ dataDir: '', databaseUrl });
const geography = loadGeography();
const place = (pc: string) => geography.resolvePostalCode(pc)!.place;
const structures: Structure[] = [];
const resources: Resource[] = [];
for (const s of generateStructures({ structures: N_S, resources: N_R, communes: geography.communes() })) structures.push({ ...s, place: place(s.postal_code) });
for (const r of generateResources({ structures: N_S, resources: N_R, communes: geography.communes() })) resources.push({ ...r, place: place(r.postal_code) });
const repo = createRecordsRepository(store);
/** Placed records as the records repository takes them. */
const rows = <T extends { place: Structure['place'] }>(list: T[]) => list.map(({ place: p, ...record }) => ({ record, place: p }));
const CHANGED = Number(values.changed);
if (!Number.isInteger(CHANGED) || CHANGED < 0 || CHANGED > N_S / 2) throw new Error(`--changed: a number of records from 0 to ${N_S / 2}, got ${values.changed}`);
// One day of changes per benchmark: a second worker count would apply it again over the first.
if (CHANGED > 0 && WORKERS.length > 1) throw new Error(`--changed: one worker count at a time (--workers 1, say), got --workers ${values.workers}`);
const day = aDayOfChanges(CHANGED);
// The generated records as they were before an earlier benchmark's day of changes.
await store.db.execute(sql`delete from structures where id like ${`${ADDED_PREFIX}%`}`);
await repo.upsertStructures(store.db, rows(day.touched.structures.map((i) => structures[i])));
await repo.upsertResources(store.db, rows(day.touched.resources.map((i) => resources[i])));
const counts = await repo.countActive();
if (counts.structures !== N_S || counts.resources !== N_R) {
  log(`loading ${N_S} structures and ${N_R} resources into ${dbName}`);
  for (let i = 0; i < structures.length; i += 5000) await repo.upsertStructures(store.db, rows(structures.slice(i, i + 5000)));
  for (let i = 0; i < resources.length; i += 5000) await repo.upsertResources(store.db, rows(resources.slice(i, i + 5000)));
}
const files = loadMatchingFiles();

/**
 * A day of changes to `n` records, the same for every benchmark: 70 % structures whose need text
 * gains a sentence, 10 % offers whose description does, 10 % new structures, 10 % structures archived.
 */
function aDayOfChanges(n: number) {
  const SENTENCES = [
    ' Nous cherchons aussi un vélo-cargo électrique pour nos tournées.',
    ' Il nous faudrait une chambre froide pour les dons de produits frais.',
    ' Un accompagnement à la comptabilité nous aiderait beaucoup.',
    ' Nous aimerions des bénévoles pour animer un atelier numérique.',
  ];
  const edited = Math.round(0.7 * n), offers = Math.round(0.1 * n), added = Math.round(0.1 * n), archived = n - edited - offers - added;
  const step = Math.max(2, Math.floor(N_S / Math.max(1, edited + archived)));
  const editedAt = Array.from({ length: edited }, (_, i) => i * step), archivedAt = Array.from({ length: archived }, (_, i) => i * step + 1);
  const offerStep = Math.max(1, Math.floor(N_R / Math.max(1, offers)));
  const offersAt = Array.from({ length: offers }, (_, i) => i * offerStep);
  const newOnes = n === 0 ? [] : [...generateStructures({ structures: added, resources: 1, seed: 2026, communes: geography.communes() })]
    .map((s) => ({ ...s, id: `${ADDED_PREFIX}${s.id}`, place: place(s.postal_code) }));
  return {
    touched: { structures: [...editedAt, ...archivedAt], resources: offersAt },
    /** Writes the changes to the database, and to the records the recall is computed from. */
    async apply(): Promise<void> {
      const editedS = editedAt.map((i, k) => ({ ...structures[i], need_text: `${structures[i].need_text ?? ''}${SENTENCES[k % SENTENCES.length]}` }));
      const editedR = offersAt.map((i, k) => ({ ...resources[i], description: `${resources[i].description}${SENTENCES[(k + 1) % SENTENCES.length]}` }));
      for (let i = 0; i < editedS.length; i += 5000) await repo.upsertStructures(store.db, rows(editedS.slice(i, i + 5000)));
      for (let i = 0; i < newOnes.length; i += 5000) await repo.upsertStructures(store.db, rows(newOnes.slice(i, i + 5000)));
      await repo.upsertResources(store.db, rows(editedR));
      const gone = archivedAt.map((i) => structures[i].id);
      if (gone.length > 0) await store.db.execute(sql`update structures set archived_at = now(), updated_at = now() where id in (${sql.join(gone.map((id) => sql`${id}`), sql`, `)})`);
      editedAt.forEach((i, k) => { structures[i] = editedS[k]; });
      offersAt.forEach((i, k) => { resources[i] = editedR[k]; });
      const goneIds = new Set(gone);
      const kept = structures.filter((s) => !goneIds.has(s.id));
      structures.length = 0;
      for (const list of [kept, newOnes]) for (const one of list) structures.push(one);
    },
  };
}

// Runs with N worker processes.
function startWorker(): { child: ChildProcess; exited: Promise<void> } {
  const child = spawn(process.execPath, [BIN, 'worker'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: process.env.BENCH_WORKER_LOG_LEVEL ?? 'warn', NODE_OPTIONS: '--max-old-space-size=4096 --max-semi-space-size=64', DOTENV_CONFIG_QUIET: 'true' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { child, exited: new Promise((resolve) => child.once('exit', () => resolve())) };
}

/** The CPU time of a run's worker processes (bench:batch measures it; earlier runs read back have none). */
interface WorkersCpu {
  beforeRankingSeconds: number; beforeRankingWallSeconds: number; rankingSeconds: number; rankingWallSeconds: number; rankingMsPerQuery: number;
}
interface RunRow {
  /** cold: no snapshot nor earlier results to start from; nightly: the cold run's snapshot and top-10s, and a day of changes since (--changed). */
  start?: 'cold' | 'nightly'; changed?: number;
  workers: number; seconds: number; queries: number; pairsScored: number; queriesPerSecond: number; pairsPerSecond: number;
  shards: number; writers: number; run: number; workersCpu?: WorkersCpu;
}
const runs: RunRow[] = [];
let lastRunId = 0;
{
  // The figures of the benchmark's earlier runs still kept (all of them with --recall-only).
  for (const run of (await createBatchRepository(store).finished()).filter((r) => r.trigger === 'bench').reverse()) {
    const s = run.summary!;
    runs.push({ workers: s.workers, seconds: Math.round(s.durationMs / 100) / 10, queries: s.queries, pairsScored: s.pairsScored,
      queriesPerSecond: s.queriesPerSecond, pairsPerSecond: s.pairsPerSecond, shards: s.shards, writers: s.workers, run: run.id });
    lastRunId = run.id;
  }
}
for (const n of values['recall-only'] ? [] : WORKERS) {
  await runWith(n, 'cold');
  if (CHANGED === 0) continue;
  await day.apply();
  const [{ saved }] = await store.rows<{ saved: number }>(sql`select count(*)::int as saved from index_snapshots where completed_at is not null`);
  log(`${CHANGED} records changed since the snapshot the cold run saved (${saved} snapshot(s) in the table)`);
  await runWith(n, 'nightly');
}

async function runWith(n: number, start: 'cold' | 'nightly'): Promise<void> {
  // The cold case: no snapshot of the index to start from (a worker saves one for its ranking
  // threads; a serving instance too), nor top-10s of an earlier run to seed the queries with (the
  // runs' rows stay, for their figures). The nightly case starts from what the cold run left: its
  // snapshot and its top-10s.
  if (start === 'cold') {
    await store.db.execute(sql`delete from index_snapshots`);
    await store.db.execute(sql`delete from batch_results`);
  }
  // A run an earlier benchmark left unfinished (killed) would be resumed, and its done shards not
  // counted in this run's time: a whole run is measured, that one is given up.
  const batches = createBatchRepository(store);
  const unfinished = await batches.unfinished();
  if (unfinished) {
    log(`run ${unfinished.id}, left unfinished by an earlier benchmark, marked failed: not resumed`);
    await batches.fail(unfinished.id);
  }
  const workers = Array.from({ length: n }, startWorker);
  await new Promise((r) => setTimeout(r, 3000)); // let them start listening
  const queue = await openShardQueue({ databaseUrl, shardTimeoutS: 900, logger });
  const started = performance.now();
  let told = -1;
  // The workers' CPU time (all their threads) at the start, when the first shards are written (the
  // index built and loaded: ranking under way) and at the end: the CPU a query costs in the run.
  const workersCpuMs = () => workers.reduce((sum, w) => sum + processCpuMs(w.child.pid!), 0);
  const cpuAtStart = workersCpuMs();
  let ranking: { atMs: number; cpuMs: number; queriesDone: number } | undefined;
  const outcome = await runBatch({
    store, logger, queue, index: () => { throw new Error('the coordinator does not rank'); },
    currentModel: async () => files.model,
    // Polled every second: told once per 25 shards, not at every poll in between.
    onProgress: (p) => {
      if (!ranking && p.shardsDone > 0) ranking = { atMs: performance.now(), cpuMs: workersCpuMs(), queriesDone: p.queriesDone };
      if (p.shardsDone % 25 === 0 && p.shardsDone !== told) { told = p.shardsDone; log(`${n} worker(s): ${p.shardsDone}/${p.shardsTotal} shards`); }
    },
  }, { asOf: AS_OF, k: K, shardSize: 2000, keepRuns: 5, trigger: 'bench', mode: 'queue', pollMs: 1000 });
  const ended = performance.now(), seconds = (ended - started) / 1000;
  const cpuAtEnd = workersCpuMs();
  const workersCpu: WorkersCpu | undefined = ranking ? {
    // Before the first shard is written: reading the records, building, encoding and loading the index.
    beforeRankingSeconds: round1((ranking.cpuMs - cpuAtStart) / 1000), beforeRankingWallSeconds: round1((ranking.atMs - started) / 1000),
    rankingSeconds: round1((cpuAtEnd - ranking.cpuMs) / 1000), rankingWallSeconds: round1((ended - ranking.atMs) / 1000),
    // Of the queries ranked after the first shards were written (their CPU is the ranking's).
    rankingMsPerQuery: round3((cpuAtEnd - ranking.cpuMs) / Math.max(1, outcome.summary.queries - ranking.queriesDone)),
  } : undefined;
  await queue.stop();
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
  lastRunId = outcome.run.id;
  const row: RunRow = {
    ...(CHANGED > 0 ? { start, changed: start === 'nightly' ? CHANGED : 0 } : {}),
    workers: n, seconds: round1(seconds), queries: outcome.summary.queries, pairsScored: outcome.summary.pairsScored,
    queriesPerSecond: Math.round(outcome.summary.queries / seconds), pairsPerSecond: Math.round(outcome.summary.pairsScored / seconds),
    shards: outcome.summary.shards, writers: outcome.summary.workers, run: outcome.run.id, workersCpu,
  };
  runs.push(row);
  log(row);
}

// Recall of the exhaustive top-10 on a random sample of the last run's queries.
const batch = createBatchRepository(store);
const run = (await batch.getRun(values.run ? Number(values.run) : lastRunId))!;
const previousFile = new URL('./results/batch.json', import.meta.url).pathname;
let recallResult: Record<string, unknown> | undefined;
let recall = Number.NaN;
/** CPU per query of the batch's path in this process alone, by direction (measured with the recall). */
const aloneMsPerQuery: Partial<Record<'structure' | 'resource', number>> = {};
if (values['no-recall']) {
  recallResult = existsSync(previousFile) ? JSON.parse(readFileSync(previousFile, 'utf8')).recall : undefined;
  recall = Number(recallResult?.recallAt10 ?? Number.NaN);
} else {
log('building the index in this process for the exhaustive scoring');
const index = Index.build(files.thesaurus, { structures, resources });
const request = runRequest(run);
const all = [...await batch.results(run.id, 'structure'), ...await batch.results(run.id, 'resource')];
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const sample = Array.from({ length: Math.min(Number(values.sample), all.length) }, () => all[Math.floor(random() * all.length)]);
const features = new Float64Array(FEATURE_NAMES.length);
const pair: PairContext = { distanceKm: 0, textCosine: 0, needCosine: 0, asOfDay: request.asOfDay };
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

function exhaustive(kind: 'structure' | 'resource', id: string): { id: string; score: number }[] {
  const scored: { id: string; score: number }[] = [];
  const consider = (s: StructureProfile, r: ResourceProfile, other: string) => {
    if (!inAreaFast(s, r)) return; // area: the cheapest hard constraint first
    pairContext(s, r, request.asOfDay, cosine(s.vector, r.vector), pair);
    if (excludes(s, r, pair)) return;
    scored.push({ id: other, score: round4(scorePair(s, r, pair, request.model, features)) });
  };
  if (kind === 'structure') {
    const s = index.structures.get(id)!;
    index.resources.profiles.forEach((r, slot) => { if (index.resources.isAlive(slot)) consider(s, r, r.entity.id); });
  } else {
    const r = index.resources.get(id)!;
    index.structures.profiles.forEach((s, slot) => { if (index.structures.isAlive(slot)) consider(s, r, s.entity.id); });
  }
  return scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, K);
}

let wanted = 0, found = 0, perfect = 0;
const t0 = performance.now();
const misses: unknown[] = [];
for (const q of sample) {
  const truth = exhaustive(q.kind, q.queryId);
  const got = new Set(q.candidates);
  const floor = q.scores.length === K ? q.scores[K - 1] : -Infinity;
  const hits = truth.filter((t) => got.has(t.id) || t.score === floor).length;
  wanted += truth.length;
  found += hits;
  if (hits === truth.length) perfect += 1;
  else if (misses.length < 10) misses.push({ kind: q.kind, id: q.queryId, missing: truth.filter((t) => !got.has(t.id) && t.score !== floor) });
}
recall = wanted === 0 ? 1 : found / wanted;
const exhaustiveSeconds = (performance.now() - t0) / 1000;
log({ recall, perfect, sample: sample.length, exhaustiveSeconds });
// The sampled queries ranked again by the batch's own path (rankQuery), in this process alone: the
// CPU a query costs with no second ranking thread beside it, to set beside the run's (its threads
// share the memory's bandwidth and caches). A warm-up pass, then the least of two. The index here
// is built, not decoded from a snapshot as the run's threads' are (it ranks 4-10 % slower).
for (const kind of ['structure', 'resource'] as const) {
  const queries = sample.filter((q) => q.kind === kind)
    .map((q) => (kind === 'structure' ? index.structures.get(q.queryId)! : index.resources.get(q.queryId)!));
  for (const p of queries) rankQuery(index, kind, p, request);
  let least = Infinity;
  for (let pass = 0; pass < 2; pass++) {
    const before = process.cpuUsage();
    for (const p of queries) rankQuery(index, kind, p, request);
    const used = process.cpuUsage(before);
    least = Math.min(least, (used.user + used.system) / 1000 / Math.max(1, queries.length));
  }
  aloneMsPerQuery[kind] = round3(least);
}
recallResult = { run: run.id, sample: sample.length, structureQueries: sample.filter((q) => q.kind === 'structure').length, recallAt10: Math.round(recall * 10000) / 10000,
  queriesWithFullRecall: perfect, exhaustiveSeconds: Math.round(exhaustiveSeconds), firstMisses: misses };
}


// The reports of the last run (national and per région), timed.
let reportSeconds = Number.NaN, reportFiles: string[] = [], reportBytes = 0;
if (run.status === 'done') {
  const reportsDir = mkdtempSync(join(tmpdir(), 'passerelles-bench-reports-'));
  const r0 = performance.now();
  const folder = await writeRunReports({ store, geography, reportsDir, goodScore: 0.5 }, run);
  reportSeconds = (performance.now() - r0) / 1000;
  reportFiles = readdirSync(join(reportsDir, folder));
  reportBytes = reportFiles.reduce((n, f) => n + statSync(join(reportsDir, folder, f)).size, 0);
  rmSync(reportsDir, { recursive: true, force: true });
  log({ reportSeconds, reportFiles: reportFiles.length, reportBytes });
}

const one = runs.find((r) => r.workers === 1 && r.start !== 'nightly');
const oneNightly = runs.find((r) => r.workers === 1 && r.start === 'nightly');
// The CPU a query cost in the one-worker run's ranking against alone in this process (the run's mix
// of directions): how much its ranking threads slowed each other on this machine.
const inRun = runs.find((r) => r.workers === 1 && r.workersCpu)?.workersCpu;
const aloneMix = aloneMsPerQuery.structure !== undefined && aloneMsPerQuery.resource !== undefined
  ? (N_S * aloneMsPerQuery.structure + N_R * aloneMsPerQuery.resource) / (N_S + N_R) : undefined;
const cpuPerQuery = inRun && aloneMix !== undefined ? {
  inRunMs: inRun.rankingMsPerQuery, aloneMs: { ...aloneMsPerQuery, mix: round3(aloneMix) },
  ratio: Math.round((inRun.rankingMsPerQuery / aloneMix) * 100) / 100,
} : undefined;
const result = {
  date: new Date().toISOString(),
  // Other processes shared these 2 cores during the measure: the load average says how much.
  loadAverage: (await import('node:os')).loadavg().map((x) => Math.round(x * 10) / 10),
  machine: { cpus: cpus().length, model: cpus()[0]?.model.split(' ').slice(0, 2).join(' '), memMB: Math.round(totalmem() / 2 ** 20), node: process.version },
  data: { structures: N_S, resources: N_R, k: K, asOf: AS_OF },
  runs,
  recall: recallResult ?? null,
  cpuPerQuery: cpuPerQuery ?? null,
  reports: { seconds: Math.round(reportSeconds * 10) / 10, files: reportFiles.length, megabytes: Math.round(reportBytes / 1e5) / 10 },
  targets: {
    oneWorkerSeconds: 300, oneWorkerMet: one ? one.seconds <= 300 : null,
    ...(oneNightly ? { oneWorkerNightlyMet: oneNightly.seconds <= 300 } : {}),
    recall: 0.99, recallMet: recall >= 0.99,
  },
};
const dir = new URL('./results/', import.meta.url).pathname;
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'batch.json'), `${JSON.stringify(result, null, 2)}\n`);

console.log('\nNightly run at national scale (structures × resources, both directions, top-10)');
const startOf = (r: RunRow) => (r.start === 'nightly' ? `nightly, ${r.changed} changed` : r.start ?? '');
console.log('workers   seconds   queries/s     pairs/s  start');
for (const r of runs) {
  console.log(`${String(r.workers).padStart(7)} ${r.seconds.toFixed(1).padStart(9)} ${String(r.queriesPerSecond).padStart(11)} ${String(r.pairsPerSecond).padStart(11)}  ${startOf(r)}`);
}
for (const r of runs) {
  const c = r.workersCpu;
  if (c) console.log(`${r.workers} worker(s)${r.start ? ` (${startOf(r)})` : ''}, CPU of their processes: ${c.beforeRankingSeconds} s in the ${c.beforeRankingWallSeconds} s before the first shard was written, `
    + `${c.rankingSeconds} s in the ${c.rankingWallSeconds} s after (${(c.rankingSeconds / c.rankingWallSeconds).toFixed(2)} cores busy)`);
}
if (cpuPerQuery) {
  console.log(`CPU per query: ${cpuPerQuery.inRunMs} ms in the one-worker run's ranking, ${cpuPerQuery.aloneMs.mix} ms alone in this process `
    + `(structure ${cpuPerQuery.aloneMs.structure} ms, resource ${cpuPerQuery.aloneMs.resource} ms, same mix): ×${cpuPerQuery.ratio} in the run`);
}
console.log(`reports of the last run (national and per région, 3 formats): ${reportSeconds.toFixed(1)} s`);
console.log(`recall@10 of exhaustive scoring on ${recallResult?.sample} queries: ${recall.toFixed(4)} (target ≥ 0.99)`);
await store.close();
