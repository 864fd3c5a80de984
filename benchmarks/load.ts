/**
 * The service under load, as a user meets it: started as `npm start` starts it (a child process
 * that loads the demo data into an empty database), then driven over loopback by autocannon with a
 * realistic mix over several keys (admin, two regional delegates, three structures):
 *
 *   explained matches both ways · record lists and reads · previews · feedback writes
 *
 * at each connection count: the matches alone (what the latency targets are about), then the whole
 * mix, beside a floor measured in the same run (GET /healthz: the HTTP stack, the request id and
 * logging, no key, no work). Prints requests/s, p50/p99 latency per kind, answers
 * by status, and the server's memory (VmRSS) at the start and end of each phase and its trend;
 * and, from the server's side, its CPU time per answer (less at the mercy of a shared machine's
 * speed than latency), its garbage collections and its event loop's delay (its own /metrics).
 *
 * Database: BENCH_DATABASE_URL → a fresh database on that PostgreSQL server; else the embedded
 * PGlite in a temporary folder (as `npm start` without DATABASE_URL).
 *
 * npm run bench:load -- [--duration 300] [--connections 10,50] [--floor 10] [--phases matches,mix] [--cpu-prof]
 *   --duration   seconds of the matches alone, then of the mix, at each connection count (300: the
 *                memory-flat check)
 *   --phases     which of the two run (`matches`: the matches alone, for an A/B of the latency targets)
 *   --floor      seconds of GET /healthz at each connection count
 *   --cpu-prof   the server writes a V8 CPU profile (benchmarks/results/profiles/) when it stops
 * Results: benchmarks/results/load-<pglite|postgres>-<duration>s[-matches|-mix].json
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { freePort } from '../test/support/ports.ts';
import { freshServerDatabase, spawnStart } from './lib/start.ts';
import { measuredVersion } from './lib/version.ts';
import { processCpuMs, rssMB as procRssMB } from './lib/proc.ts';

const { values } = parseArgs({ options: {
  duration: { type: 'string', default: '300' },
  connections: { type: 'string', default: '10,50' },
  floor: { type: 'string', default: '10' },
  phases: { type: 'string', default: 'matches,mix' },
  'cpu-prof': { type: 'boolean', default: false },
} });
const DURATION = Number(values.duration);
const FLOOR = Number(values.floor);
const LEVELS = values.connections.split(',').map(Number);
const PHASES = new Set(values.phases.split(','));
if ([...PHASES].some((p) => p !== 'matches' && p !== 'mix')) throw new Error(`--phases: matches, mix or both, not ${values.phases}`);
const ROOT = resolve('.');
const RESULTS = join(ROOT, 'benchmarks/results');
const say = (line: string) => process.stderr.write(`${line}\n`);
const ourRef = measuredVersion(ROOT);
const loadAtStart = loadavg().map((x) => Math.round(x * 10) / 10);
const work = mkdtempSync(join(tmpdir(), 'passerelles-bench-load-'));

// ---------- the database and the service ----------

const serverUrl = process.env.BENCH_DATABASE_URL;
let env: Record<string, string> = { PASSERELLES_DATA_DIR: join(work, 'data') };
let dropDatabase = async () => {};
if (serverUrl) {
  const fresh = await freshServerDatabase(serverUrl, 'passerelles_bench_load');
  env = { ...env, DATABASE_URL: fresh.url };
  dropDatabase = fresh.drop;
}
const database = serverUrl ? 'PostgreSQL server' : 'embedded PGlite';
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const profiles = join(RESULTS, 'profiles');

// The rate limit is per key and meant for partners' scripts; a load test from six keys would measure it, not the service.
const serviceEnv = { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', PASSERELLES_RATE_LIMIT: '100000000' };
const nodeFlags = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profiles}`] : [];
if (values['cpu-prof']) mkdirSync(profiles, { recursive: true });
const started = performance.now();
const child: ChildProcess = spawnStart(ROOT, serviceEnv, nodeFlags);
let log = '';
child.stderr!.on('data', (c: Buffer) => { log = (log + c.toString('utf8')).slice(-20_000); });
process.on('exit', (code) => { // also when this script fails
  if (code !== 0) say(`the service's last log lines (exit code ${child.exitCode}):\n${log.slice(-3000)}`);
  if (child.exitCode === null) child.kill('SIGTERM');
});

const rssMB = () => procRssMB(child.pid!);

/** CPU time of the service's process so far (every thread of it: in embedded mode, PGlite's too), in ms. */
const cpuMs = () => processCpuMs(child.pid!);

/**
 * What the service's own /metrics says of its garbage collections (seconds and pauses by kind,
 * since its start) and of its event loop's delay (p99 and max since the previous scrape: prom-client
 * resets that histogram at each one).
 */
async function runtimeFigures(): Promise<{ gc: Record<string, { seconds: number; count: number }>; loopP99Ms: number; loopMaxMs: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const gc: Record<string, { seconds: number; count: number }> = {};
  let loopP99Ms = NaN, loopMaxMs = NaN;
  for (const line of text.split('\n')) {
    const m = /^passerelles_nodejs_gc_duration_seconds_(sum|count)\{kind="(\w+)"\} (\S+)/.exec(line);
    if (m) { const k = gc[m[2]] ??= { seconds: 0, count: 0 }; if (m[1] === 'sum') k.seconds = Number(m[3]); else k.count = Number(m[3]); }
    const lag = /^passerelles_nodejs_eventloop_lag_(p99|max)_seconds (\S+)/.exec(line);
    if (lag) { if (lag[1] === 'p99') loopP99Ms = Number(lag[2]) * 1000; else loopMaxMs = Number(lag[2]) * 1000; }
  }
  return { gc, loopP99Ms, loopMaxMs };
}

async function call(method: string, path: string, key?: string, body?: unknown, retry = true): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, {
    method, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  }).catch((e: Error) => {
    // An idle keep-alive socket the server closed just as it was reused (after a slow CLI call): once more.
    if (retry && /other side closed|ECONNRESET/.test(String((e.cause as Error | undefined)?.message ?? e.message))) return undefined;
    throw e;
  });
  if (!res) return call(method, path, key, body, false);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

say(`starting the service on the demo data (${database})…`);
for (;;) {
  if (child.exitCode !== null) throw new Error(`the service stopped (${child.exitCode}):\n${log}`);
  const ready = await call('GET', '/readyz').catch(() => undefined);
  if (ready?.status === 200) break;
  await new Promise((r) => setTimeout(r, 250));
}
const readySeconds = Math.round((performance.now() - started) / 100) / 10;
say(`ready after ${readySeconds} s, ${rssMB()} MB`);

// ---------- keys and the ids each key may use ----------

const cli = (...args: string[]) => execFileSync(process.execPath, ['bin/passerelles.mjs', ...args], {
  cwd: ROOT, env: { ...process.env, ...env, LOG_LEVEL: 'warn' }, encoding: 'utf8',
}).trim();
const adminKey = cli('keys', 'create', '--role', 'admin', '--label', 'bench:load admin');

async function all(kind: 'structures' | 'resources'): Promise<any[]> {
  const items: any[] = [];
  for (let cursor: string | null = null; ;) {
    const page = await call('GET', `/api/v1/${kind}?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, adminKey);
    items.push(...page.body.items);
    cursor = page.body.next_cursor;
    if (!cursor) return items;
  }
}
const structures = await all('structures');
const resources = await all('resources');
const byRegion = new Map<string, string[]>();
for (const s of structures) byRegion.set(s.place.region, [...(byRegion.get(s.place.region) ?? []), s.id]);
const regions = [...byRegion.keys()].sort((a, b) => byRegion.get(b)!.length - byRegion.get(a)!.length).slice(0, 2);
const delegates = regions.map((r) => ({ region: r, key: cli('keys', 'create', '--role', 'delegate', '--region', r, '--label', `bench:load ${r}`) }));
const owners = structures.filter((_, i) => i % Math.floor(structures.length / 3) === 7).slice(0, 3)
  .map((s) => ({ id: s.id, key: cli('keys', 'create', '--role', 'structure', '--structure', s.id, '--label', `bench:load ${s.id}`) }));
// A delegate matches the resources of its region and the national ones.
const visibleTo = new Map(regions.map((r) => [r, resources.filter((x) => x.place.region === r || x.scope === 'national').map((x) => x.id)]));
// What each structure key gives feedback on: its own proposed resources.
const proposed = new Map<string, string[]>();
for (const o of owners) {
  const list = await call('GET', `/api/v1/structures/${o.id}/matches?limit=20`, o.key);
  proposed.set(o.id, list.body.results.map((r: { id: string }) => r.id));
}
say(`${structures.length} structures, ${resources.length} resources; keys: admin, delegates ${regions.join(', ')}, structures ${owners.map((o) => o.id).join(', ')}`);

// ---------- the mix ----------

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)];
const auth = (key: string) => ({ authorization: `Bearer ${key}` });
const MATCH = '?limit=20&explain=true';
type Kind = 'match structure→resources' | 'match resource→structures' | 'list' | 'read' | 'preview' | 'feedback write';
interface MixRequest { kind: Kind; weight: number; setupRequest(req: any): any }

const previewBody = () => {
  const s = pick(structures);
  return JSON.stringify({ structure: { name: 'Projet en préparation', legal_form: s.legal_form, description: s.description, needs: s.needs, postal_code: s.postal_code } });
};

/** Kinds with their share of requests; each request picks its key and ids at random. */
const MIX: MixRequest[] = [
  { kind: 'match structure→resources', weight: 30, setupRequest: (req) => {
    const who = Math.random();
    if (who < 0.4) { const o = pick(owners); return { ...req, path: `/api/v1/structures/${o.id}/matches${MATCH}`, headers: auth(o.key) }; }
    if (who < 0.8) { const d = pick(delegates); return { ...req, path: `/api/v1/structures/${pick(byRegion.get(d.region)!)}/matches${MATCH}`, headers: auth(d.key) }; }
    return { ...req, path: `/api/v1/structures/${pick(structures).id}/matches${MATCH}`, headers: auth(adminKey) };
  } },
  { kind: 'match resource→structures', weight: 20, setupRequest: (req) => {
    if (Math.random() < 0.5) return { ...req, path: `/api/v1/resources/${pick(resources).id}/matches${MATCH}`, headers: auth(adminKey) };
    const d = pick(delegates);
    return { ...req, path: `/api/v1/resources/${pick(visibleTo.get(d.region)!)}/matches${MATCH}`, headers: auth(d.key) };
  } },
  { kind: 'list', weight: 15, setupRequest: (req) => {
    const d = pick(delegates);
    const path = pick([`/api/v1/structures?limit=50&region=${d.region}`, '/api/v1/resources?limit=50&pillar=premises', '/api/v1/structures?limit=20&q=solidaire']);
    return { ...req, path, headers: auth(Math.random() < 0.5 ? adminKey : d.key) };
  } },
  { kind: 'read', weight: 10, setupRequest: (req) =>
    ({ ...req, path: Math.random() < 0.5 ? `/api/v1/structures/${pick(structures).id}` : `/api/v1/resources/${pick(resources).id}`, headers: auth(adminKey) }) },
  { kind: 'preview', weight: 10, setupRequest: (req) =>
    ({ ...req, method: 'POST', path: '/api/v1/matches/preview?limit=20', headers: { ...auth(pick([adminKey, ...delegates.map((d) => d.key)])), 'content-type': 'application/json' }, body: previewBody() }) },
  { kind: 'feedback write', weight: 15, setupRequest: (req) => {
    const o = pick(owners);
    const body = { client_event_id: randomUUID(), kind: pick(['viewed', 'viewed', 'shortlisted', 'contacted']), structure_id: o.id, resource_id: pick(proposed.get(o.id)!) };
    return { ...req, method: 'POST', path: '/api/v1/feedback', headers: { ...auth(o.key), 'content-type': 'application/json' }, body: JSON.stringify(body) };
  } },
];
/**
 * A phase's requests: before each request, its connection draws the kind at random in the mix's
 * proportions (then its key and ids), independently of the other connections, as users who do not
 * wait for each other. Not one shuffled sequence that every connection walks: autocannon starts
 * each connection at the sequence's first request, so the connections moved through it in step and
 * sent dozens of requests of one kind at once (in 100 ms windows at 50 connections, nearly all
 * answers were of one kind), and one burst of slow ones set the p99 of its kind: at 50
 * connections the two kinds' p99 differed by 5 to 129 ms in seven runs, by 0 to 21 ms in six
 * runs with independent draws.
 */
function drawn(mix: readonly MixRequest[]): object[] {
  const total = mix.reduce((n, m) => n + m.weight, 0);
  return [{ method: 'GET', setupRequest: (req: object, context: { kind?: Kind }) => {
    let x = Math.random() * total;
    const m = mix.find((k) => (x -= k.weight) < 0) ?? mix[mix.length - 1];
    context.kind = m.kind; // autocannon's context is the connection's own: read back with its answer
    return m.setupRequest({ ...req, method: 'GET' });
  } }];
}
const wholeMix = drawn(MIX);

/** The matches of the mix alone, in the same proportions: what the latency targets are about. */
const matchesOnly = drawn(MIX.filter((m) => m.kind.startsWith('match')));

// ---------- running a phase ----------

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

interface Phase {
  name: string; connections: number; seconds: number; requests: number; requestsPerSecond: number;
  byKind: Record<string, { requests: number; p50: number; p99: number; max: number; statuses: Record<string, number> }>;
  byStatus: Record<string, number>; errors: number; timeouts: number;
  rssMB: { start: number; end: number; max: number; trendMBPerMin: number };
  /**
   * The service's process during the phase: its CPU time per request answered (all its threads),
   * its garbage collections (total pause and count, and the pause of the major ones), its event loop's delay.
   */
  server: { cpuMsPerRequest: number; gcMs: number; gcPauses: number; majorGcMs: number; loopP99Ms: number; loopMaxMs: number };
}

async function phase(name: string, connections: number, seconds: number, requests: object[]): Promise<Phase> {
  const latencies = new Map<string, number[]>();
  const byStatus: Record<string, number> = {};
  const kindStatus = new Map<string, Record<string, number>>();
  const before = await runtimeFigures(); // also resets the event loop's delay histogram
  const cpuBefore = cpuMs();
  const rss: [number, number][] = [[0, rssMB()]];
  const t0 = performance.now();
  const sampler = setInterval(() => rss.push([(performance.now() - t0) / 1000, rssMB()]), 2000);
  const instance = autocannon({ url: base, connections, duration: seconds, requests: requests as never, timeout: 10 });
  instance.on('response', (client: any, status: number, _bytes: number, ms: number) => {
    const kind: string = client.requestIterator.context.kind ?? client.requestIterator.currentRequest.kind ?? 'floor';
    let list = latencies.get(kind);
    if (!list) latencies.set(kind, list = []);
    list.push(ms);
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    const statuses = kindStatus.get(kind) ?? {};
    statuses[status] = (statuses[status] ?? 0) + 1;
    kindStatus.set(kind, statuses);
  });
  const result = await instance;
  const cpu = cpuMs() - cpuBefore;
  const after = await runtimeFigures();
  clearInterval(sampler);
  // The phase's collections: what the counters gained since the scrape before it, in all and for the major ones.
  let gcMs = 0, gcPauses = 0, majorGcMs = 0;
  for (const [kind, v] of Object.entries(after.gc)) {
    const ms = 1000 * (v.seconds - (before.gc[kind]?.seconds ?? 0));
    gcMs += ms;
    gcPauses += v.count - (before.gc[kind]?.count ?? 0);
    if (kind === 'major') majorGcMs = ms;
  }
  rss.push([(performance.now() - t0) / 1000, rssMB()]);
  const byKind: Phase['byKind'] = {};
  for (const [kind, list] of latencies) {
    list.sort((a, b) => a - b);
    byKind[kind] = { requests: list.length, p50: round(percentile(list, 0.5)), p99: round(percentile(list, 0.99)), max: round(list[list.length - 1]), statuses: kindStatus.get(kind) ?? {} };
  }
  // Memory trend: least-squares slope over the second half of the phase (after warm-up growth).
  const late = rss.filter(([t]) => t >= seconds / 2);
  const mt = late.reduce((s, [t]) => s + t, 0) / late.length, mm = late.reduce((s, [, m]) => s + m, 0) / late.length;
  const slope = late.reduce((s, [t, m]) => s + (t - mt) * (m - mm), 0) / Math.max(1e-9, late.reduce((s, [t]) => s + (t - mt) ** 2, 0));
  const total = [...latencies.values()].reduce((s, l) => s + l.length, 0);
  return {
    name, connections, seconds, requests: total, requestsPerSecond: round(total / seconds), byKind, byStatus,
    errors: result.errors, timeouts: result.timeouts,
    rssMB: { start: rss[0][1], end: rss[rss.length - 1][1], max: Math.max(...rss.map(([, m]) => m)), trendMBPerMin: round(slope * 60) },
    server: {
      cpuMsPerRequest: round(cpu / Math.max(1, total), 2), gcMs: round(gcMs), gcPauses, majorGcMs: round(majorGcMs),
      loopP99Ms: round(after.loopP99Ms), loopMaxMs: round(after.loopMaxMs),
    },
  };
}

const rssAtReady = rssMB();
const phases: Phase[] = [];
try {
  // Warm-up: every code path once (JIT, caches), not measured.
  await phase('warm-up', 4, 5, wholeMix);
  for (const connections of LEVELS) {
    say(`${connections} connections: floor (GET /healthz) for ${FLOOR} s…`);
    phases.push(await phase('floor: GET /healthz', connections, FLOOR, [{ method: 'GET', path: '/healthz', kind: 'floor' }]));
    if (PHASES.has('matches')) {
      say(`${connections} connections: matches only for ${DURATION} s…`);
      phases.push(await phase('matches only', connections, DURATION, matchesOnly));
    }
    if (PHASES.has('mix')) {
      say(`${connections} connections: the mix for ${DURATION} s…`);
      phases.push(await phase('mix', connections, DURATION, wholeMix));
    }
  }
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await dropDatabase();
  rmSync(work, { recursive: true, force: true });
}

// ---------- report ----------

const machine = `${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GB, load average at start ${loadAtStart.join(' ')}`;
const pad = (s: string | number, n: number) => String(s).padStart(n);
const lines = [
  `Load on the demo data (${structures.length} structures, ${resources.length} resources, ${database}), ${ourRef}; ${machine}.`,
  'Server and autocannon share the machine. Latency in ms; memory is the server\'s VmRSS.',
  '',
  `${'phase'.padEnd(22)}${pad('conns', 6)}${pad('req/s', 8)}  ${'kind'.padEnd(27)}${pad('n', 8)}${pad('p50', 8)}${pad('p99', 8)}${pad('max', 8)}  statuses`,
];
for (const p of phases) {
  const kinds = Object.entries(p.byKind).sort(([a], [b]) => a.localeCompare(b));
  kinds.forEach(([kind, k], i) => lines.push(`${(i === 0 ? p.name : '').padEnd(22)}${pad(i === 0 ? p.connections : '', 6)}${pad(i === 0 ? p.requestsPerSecond : '', 8)}  `
    + `${kind.padEnd(27)}${pad(k.requests, 8)}${pad(k.p50, 8)}${pad(k.p99, 8)}${pad(k.max, 8)}  `
    + Object.entries(k.statuses).map(([st, n]) => `${st}×${n}`).join(' ')));
  const statuses = Object.entries(p.byStatus).map(([s, n]) => `${s}: ${n}`).join(', ');
  lines.push(`${''.padEnd(36)}answers ${statuses}; socket errors ${p.errors}, timeouts ${p.timeouts}; `
    + `RSS ${p.rssMB.start} → ${p.rssMB.end} MB (max ${p.rssMB.max}, trend ${p.rssMB.trendMBPerMin} MB/min over the second half)`);
  lines.push(`${''.padEnd(36)}server: CPU ${p.server.cpuMsPerRequest} ms per answer; GC ${p.server.gcMs} ms in ${p.server.gcPauses} pauses (major ${p.server.majorGcMs} ms); `
    + `event loop delay p99 ${p.server.loopP99Ms} ms, max ${p.server.loopMaxMs} ms`);
}
const mixes = phases.filter((p) => p.name === 'matches only');
const matchP99 = (p: Phase) => Math.max(p.byKind['match structure→resources']?.p99 ?? NaN, p.byKind['match resource→structures']?.p99 ?? NaN);
const fiveXX = phases.reduce((s, p) => s + Object.entries(p.byStatus).filter(([st]) => Number(st) >= 500).reduce((t, [, n]) => t + n, 0), 0);
lines.push('', `Targets (issue 20): zero 5xx → ${fiveXX}; match p99 < 50 ms at 10 connections, < 150 ms at 50 → `
  + mixes.map((p) => `${matchP99(p)} ms at ${p.connections}`).join(', ')
  + `; memory flat → ${phases.filter((p) => p.name === 'mix').map((p) => `${p.rssMB.trendMBPerMin} MB/min at ${p.connections} (mix)`).join(', ')}.`);
process.stdout.write(`${lines.join('\n')}\n`);

mkdirSync(RESULTS, { recursive: true });
// A run of one phase does not overwrite the figures of a whole run.
const file = join(RESULTS, `load-${serverUrl ? 'postgres' : 'pglite'}-${DURATION}s${PHASES.size === 1 ? `-${[...PHASES][0]}` : ''}.json`);
writeFileSync(file, `${JSON.stringify({
  date: new Date().toISOString(), version: ourRef, machine, database, sharedMachine: true,
  data: { structures: structures.length, resources: resources.length }, readySeconds, rssAtReadyMB: rssAtReady,
  durationSeconds: DURATION, floorSeconds: FLOOR, mix: Object.fromEntries(MIX.map((m) => [m.kind, m.weight])),
  keys: { admin: 1, delegates: regions, structures: owners.map((o) => o.id) }, phases, fiveXX,
}, null, 2)}\n`);
say(`results: ${file}${values['cpu-prof'] ? `; CPU profile in ${profiles}` : ''}`);
