/**
 * Speed benchmark at national scale: generates structures and resources with the seed generator,
 * builds the engine's index and measures build time, memory (RSS) and the latency of a ranked,
 * explained top-20 query in each direction; then runs the same text queries through peers on the
 * same data: natural's TfIdf, minisearch (BM25) and PostgreSQL full-text search (GIN, ts_rank).
 *
 * npm run bench:speed -- [--structures 200000] [--resources 50000] [--queries 500] [--warmup 200] [--peer-queries 20]
 *   PostgreSQL peer: BENCH_DATABASE_URL (or TEST_DATABASE_URL); without it, embedded PGlite.
 * Results: benchmarks/results/speed.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve, join } from 'node:path';
import { parseArgs } from 'node:util';
import './lib/quiet-dotenv.ts';
import natural from 'natural';
import MiniSearch from 'minisearch';
import { sql } from 'drizzle-orm';
import { dayNumber } from '../src/domain/day.ts';
import { matchResource, matchStructure } from '../src/engine/engine.ts';
import { Index } from '../src/engine/index.ts';
import { loadMatchingFiles } from '../src/matching/matching.models.ts';
import { resourceFields, structureFields } from '../src/profiles/analysis.ts';
import type { Resource, Structure } from '../src/domain/types.ts';
import { loadGeography } from '../src/geo/geography.ts';
import { analyze } from '../src/text/analyze.ts';
import { openStore } from '../src/db/open.ts';
import { generateResources, generateStructures } from '../seed/generator.ts';

const { values } = parseArgs({ options: {
  structures: { type: 'string', default: '200000' },
  resources: { type: 'string', default: '50000' },
  queries: { type: 'string', default: '500' },
  'peer-queries': { type: 'string', default: '20' },
  warmup: { type: 'string', default: '200' },
  'skip-peers': { type: 'boolean', default: false },
} });
const N_S = Number(values.structures), N_R = Number(values.resources);
const N_Q = Number(values.queries), N_PEER = Number(values['peer-queries']);
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
const percentile = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const timed = <T>(fn: () => T): [T, number] => { const t = performance.now(); const v = fn(); return [v, performance.now() - t]; };

const geography = loadGeography();
const communes = geography.communes();
const rssBefore = process.memoryUsage().rss;
let t0 = performance.now();
const structures: Structure[] = [];
const resources: Resource[] = [];
const place = (pc: string) => geography.resolvePostalCode(pc)!.place;
for (const s of generateStructures({ structures: N_S, resources: N_R, communes })) structures.push({ ...s, place: place(s.postal_code) });
for (const r of generateResources({ structures: N_S, resources: N_R, communes })) resources.push({ ...r, place: place(r.postal_code) });
const generateSeconds = (performance.now() - t0) / 1000;
console.error(`generated ${N_S} structures and ${N_R} resources in ${generateSeconds.toFixed(1)} s`);

global.gc?.();
const rssData = process.memoryUsage().rss;
t0 = performance.now();
const files = loadMatchingFiles();
const index = Index.build(files.thesaurus, { structures, resources });
const buildSeconds = (performance.now() - t0) / 1000;
global.gc?.();
const rssEngine = process.memoryUsage().rss;
console.error(`index built in ${buildSeconds.toFixed(1)} s, RSS ${mb(rssEngine)} MB`);

const step = (n: number, total: number) => Math.max(1, Math.floor(total / n));
const sQueries = structures.filter((_, i) => i % step(N_Q, N_S) === 0).slice(0, N_Q);
const rQueries = resources.filter((_, i) => i % step(N_Q, N_R) === 0).slice(0, N_Q);
const asOf = '2026-12-01';
const request = { limit: 20, explain: true, asOf, asOfDay: dayNumber(asOf), model: files.model, includeExcluded: false };
// Warm-up, as a running service is: the optimising compiler settles both directions' code paths
// over the first few hundred queries. Other records than the measured ones.
for (let i = 0; i < Number(values.warmup); i++) {
  matchStructure(index, structures[(i * 7919 + 1) % N_S].id, request);
  matchResource(index, resources[(i * 7919 + 1) % N_R].id, request);
}
const sLat = sQueries.map((s) => timed(() => matchStructure(index, s.id, request))[1]);
const rLat = rQueries.map((r) => timed(() => matchResource(index, r.id, request))[1]);
const ours = {
  structureQuery: { p50: percentile(sLat, 0.5), p95: percentile(sLat, 0.95), n: sLat.length },
  resourceQuery: { p50: percentile(rLat, 0.5), p95: percentile(rLat, 0.95), n: rLat.length },
};

// Peers: the text part only, top-20 of the other side for the same query texts.
const textOf = (x: Structure | Resource) => ('name' in x ? structureFields(x) : resourceFields(x as Resource)).map((f) => f.text ?? '').join(' ');
const peerQueries = [...sQueries.slice(0, N_PEER), ...rQueries.slice(0, N_PEER)];
const peers: { name: string; build: number; p50: number; p95: number; n: number }[] = [];

async function runPeer(name: string, build: () => Promise<(x: Structure | Resource) => Promise<unknown> | unknown>) {
  const t = performance.now();
  const query = await build();
  const buildS = (performance.now() - t) / 1000;
  const lat: number[] = [];
  for (const q of peerQueries) { const s = performance.now(); await query(q); lat.push(performance.now() - s); }
  peers.push({ name, build: buildS, p50: percentile(lat, 0.5), p95: percentile(lat, 0.95), n: lat.length });
  console.error(`${name}: built in ${buildS.toFixed(1)} s, p50 ${percentile(lat, 0.5).toFixed(1)} ms`);
}

if (!values['skip-peers']) {
  await runPeer('natural TfIdf', async () => {
    const tokenizer = { tokenize: (t: string) => analyze(t).map((x) => x.stem) };
    const make = (docs: (Structure | Resource)[]) => { const tf = new natural.TfIdf(); tf.setTokenizer(tokenizer as never); docs.forEach((d) => tf.addDocument(textOf(d))); return tf; };
    const sIdx = make(structures), rIdx = make(resources);
    return (q) => {
      const idx = 'name' in q ? rIdx : sIdx;
      const scores: number[] = [];
      idx.tfidfs(analyze(textOf(q)).map((x) => x.stem), (i: number, m: number) => { scores[i] = m; });
      return scores.map((s, i) => [i, s]).sort((a, b) => b[1] - a[1]).slice(0, 20);
    };
  });
  await runPeer('minisearch (BM25)', async () => {
    const make = (docs: (Structure | Resource)[]) => { const m = new MiniSearch({ fields: ['text'], tokenize: (t: string) => analyze(t).map((x) => x.stem), processTerm: (t: string) => t }); m.addAll(docs.map((d) => ({ id: d.id, text: textOf(d) }))); return m; };
    const sIdx = make(structures), rIdx = make(resources);
    return (q) => ('name' in q ? rIdx : sIdx).search(textOf(q), { combineWith: 'OR' }).slice(0, 20);
  });
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  await runPeer(`PostgreSQL FTS (${url ? 'server' : 'PGlite'})`, async () => {
    const store = await openStore({ databaseUrl: url, dataDir: 'memory://', migrate: false });
    await store.db.execute(sql`drop table if exists bench_docs`);
    await store.db.execute(sql`create table bench_docs (kind text, id text, body text, tsv tsvector generated always as (to_tsvector('french', body)) stored)`);
    const all = [...structures.map((s) => ['s', s.id, textOf(s)]), ...resources.map((r) => ['r', r.id, textOf(r)])];
    for (let i = 0; i < all.length; i += 2000) {
      const chunk = all.slice(i, i + 2000);
      // One JSON parameter per chunk (a JS array would be spread into a row expression).
      const rows = JSON.stringify(chunk.map(([kind, id, body]) => ({ kind, id, body })));
      await store.db.execute(sql`insert into bench_docs (kind, id, body) select kind, id, body from json_to_recordset(${rows}::json) as x(kind text, id text, body text)`);
    }
    await store.db.execute(sql`create index bench_docs_tsv on bench_docs using gin (tsv)`);
    await store.db.execute(sql`analyze bench_docs`);
    return async (q) => {
      const words = [...new Set(textOf(q).toLowerCase().match(/[\p{L}]{3,}/gu) ?? [])].join(' or ');
      const kind = 'name' in q ? 'r' : 's';
      return store.rows(sql`select id, ts_rank(tsv, query) as rank from bench_docs, websearch_to_tsquery('french', ${words}) query where kind = ${kind} and tsv @@ query order by rank desc limit 20`);
    };
  });
}

const table = [
  ['system', 'build (s)', 'p50 (ms)', 'p95 (ms)', 'queries', 'ratio p50 (peer / ours)'],
  ['---', '---', '---', '---', '---', '---'],
  ['passerelles, structure → resources, explained top-20', buildSeconds.toFixed(1), ours.structureQuery.p50.toFixed(2), ours.structureQuery.p95.toFixed(2), String(ours.structureQuery.n), ''],
  ['passerelles, resource → structures, explained top-20', '', ours.resourceQuery.p50.toFixed(2), ours.resourceQuery.p95.toFixed(2), String(ours.resourceQuery.n), ''],
  ...peers.map((p) => [p.name + ' (text only)', p.build.toFixed(1), p.p50.toFixed(1), p.p95.toFixed(1), String(p.n),
    `${(p.p50 / ((ours.structureQuery.p50 + ours.resourceQuery.p50) / 2)).toFixed(0)}×`]),
];
console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model}, ${mb(totalmem())} MB, Node ${process.version}`);
console.log(`Data: ${N_S} structures, ${N_R} resources (seed generator); RSS: ${mb(rssBefore)} MB at start, ${mb(rssData)} MB with the records, ${mb(rssEngine)} MB with the index`);
console.log(`Targets: p95 ≤ 5 ms each direction, build ≤ 60 s, RSS ≤ 2048 MB\n`);
for (const row of table) console.log(`| ${row.join(' | ')} |`);
const out = resolve('benchmarks/results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'speed.json'), `${JSON.stringify({
  date: new Date().toISOString(), machine: { cpus: cpus().length, model: cpus()[0]?.model, memMB: mb(totalmem()), node: process.version },
  data: { structures: N_S, resources: N_R, generateSeconds }, ours: { buildSeconds, rssMB: mb(rssEngine), rssRecordsMB: mb(rssData), ...ours }, peers,
}, null, 2)}\n`);
process.exit(0);
