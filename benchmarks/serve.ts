/**
 * The service as a user meets it, at national scale: generated data imported into a database, the
 * service started as `npm start` starts it (a child process), then timed from outside.
 *
 *   1. imports N structures and M resources (seed generator) into the database the environment
 *      names: BENCH_DATABASE_URL → a fresh database on that PostgreSQL server; else the embedded
 *      PGlite in a temporary folder;
 *   2. starts this version cold (no snapshot: reads, builds, then saves its snapshot), then warm
 *      (from the snapshot), and the previous version of the code (`--baseline REF`, extracted with
 *      `git archive` into a temporary folder, over the same database);
 *   3. for each: time to /readyz 200 (and to the port answering), explained top-20 matches over HTTP
 *      one request at a time in each direction (after a warm-up), single-record reads, peak RSS.
 *
 * npm run bench:serve -- [--structures 200000] [--resources 50000] [--queries 1000] [--warmup 200]
 *   [--reads 500] [--baseline REF|none] (default: the commit where this branch left main)
 * Results: benchmarks/results/serve.json
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../test/support/ports.ts';
import { freshServerDatabase, spawnStart } from './lib/start.ts';
import { peakRssMB, processCpuMs } from './lib/proc.ts';
import { measuredVersion } from './lib/version.ts';

const { values } = parseArgs({ options: {
  structures: { type: 'string', default: '200000' },
  resources: { type: 'string', default: '50000' },
  queries: { type: 'string', default: '1000' },
  warmup: { type: 'string', default: '200' },
  reads: { type: 'string', default: '500' },
  baseline: { type: 'string' },
} });
const N_S = Number(values.structures), N_R = Number(values.resources), N_Q = Number(values.queries);
const ROOT = resolve('.');
const loadAtStart = loadavg().map((x) => Math.round(x * 10) / 10);
const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
/** The version measured: the commit checked out when the run starts (and whether files differ from it). */
const ourRef = measuredVersion(ROOT);
const work = mkdtempSync(join(tmpdir(), 'passerelles-bench-serve-'));
const serverUrl = process.env.BENCH_DATABASE_URL;
const say = (line: string) => process.stderr.write(`${line}\n`);
const seconds = (ms: number) => Math.round(ms / 100) / 10;

// ---------- the database ----------

let dbEnv: Record<string, string>;
let dropDatabase = async () => {};
if (serverUrl) {
  const fresh = await freshServerDatabase(serverUrl, 'passerelles_bench_serve');
  // The data folder holds this machine's copy of the server's latest snapshot (see matching.snapshot.ts).
  dbEnv = { DATABASE_URL: fresh.url, PASSERELLES_DATA_DIR: join(work, 'data') };
  dropDatabase = fresh.drop;
} else {
  dbEnv = { PASSERELLES_DATA_DIR: join(work, 'data') };
}
const database = serverUrl ? 'PostgreSQL server' : 'embedded PGlite';

const cli = (cwd: string, args: string[]) => execFileSync(process.execPath, ['bin/passerelles.mjs', ...args], {
  cwd, env: { ...process.env, ...dbEnv, LOG_LEVEL: 'warn', PASSERELLES_DEMO_DATA: 'false' }, encoding: 'utf8', maxBuffer: 2 ** 26,
});

const t = performance.now();
say(`importing ${N_S} structures and ${N_R} resources into the ${database}…`);
cli(ROOT, ['seed', '--structures', String(N_S), '--resources', String(N_R)]);
const importSeconds = seconds(performance.now() - t);
say(`imported in ${importSeconds} s`);
const key = cli(ROOT, ['keys', 'create', '--role', 'admin', '--label', 'bench:serve']).trim();

// ---------- the service, from outside ----------

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
let port = 0;

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${key}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', fail);
    req.setTimeout(60_000, () => req.destroy(new Error(`${path}: no answer in 60 s`)));
    req.end();
  });
}

interface Started { child: ChildProcess; bindSeconds: number; readySeconds: number; firstMatchMs: number; log: () => string }

async function startService(cwd: string, label: string): Promise<Started> {
  port = await freePort();
  const logFile = join(work, `${label.replace(/\W+/g, '-')}.log`);
  const started = performance.now();
  const child = spawnStart(cwd, { ...process.env, ...dbEnv, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', PASSERELLES_DEMO_DATA: 'false', PASSERELLES_RATE_LIMIT: '10000000' });
  let log = '';
  let failed: Error | undefined;
  child.on('error', (e) => { failed = e; });
  child.stderr!.on('data', (c: Buffer) => { log += c.toString('utf8'); });
  let bindSeconds = NaN;
  for (;;) {
    if (failed) throw new Error(`${label}: the service could not start: ${failed.message}`);
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${label}: the service stopped (${child.exitCode ?? child.signalCode}):\n${log.slice(-2000)}`);
    if (performance.now() - started > 20 * 60_000) throw new Error(`${label}: not ready after 20 minutes:\n${log.slice(-2000)}`);
    const reply = await get('/readyz').catch(() => undefined);
    if (reply && Number.isNaN(bindSeconds)) bindSeconds = seconds(performance.now() - started);
    if (reply?.status === 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const readySeconds = seconds(performance.now() - started);
  // The first explained match once ready: what a user waiting for /readyz meets (work left after ready shows here).
  const t0 = performance.now();
  const first = await get(`/api/v1/structures/${sid(11)}/matches${QUERY}`);
  const firstMatchMs = Math.round((performance.now() - t0) * 10) / 10;
  if (first.status !== 200) throw new Error(`${label}: first match ${first.status} ${first.body.slice(0, 300)}`);
  writeFileSync(logFile, log);
  say(`${label}: port answering after ${bindSeconds} s, ready after ${readySeconds} s, first match in ${firstMatchMs} ms`);
  return { child, bindSeconds, readySeconds, firstMatchMs, log: () => log };
}

async function stopService(s: Started): Promise<number> {
  const rss = peakRssMB(s.child.pid!);
  s.child.kill('SIGTERM');
  await new Promise((r) => s.child.once('exit', r));
  return rss;
}

const percentiles = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] * 100) / 100;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), n: s.length };
};

async function timed(paths: string[]): Promise<number[]> {
  const out: number[] = [];
  for (const path of paths) {
    const t0 = performance.now();
    const reply = await get(path);
    out.push(performance.now() - t0);
    if (reply.status !== 200) throw new Error(`${path}: ${reply.status} ${reply.body.slice(0, 300)}`);
  }
  return out;
}

const sid = (i: number) => `seed-s${String(1 + (i % N_S)).padStart(6, '0')}`;
const rid = (i: number) => `seed-r${String(1 + (i % N_R)).padStart(6, '0')}`;
const spread = (n: number, total: number, at: (i: number) => string) => Array.from({ length: n }, (_, i) => at(Math.floor((i * total) / n) + 7));
const QUERY = '?limit=20&explain=true&as_of=2026-12-01';

async function measure(label: string, pid: number) {
  const warm = Number(values.warmup);
  await timed([...spread(warm, N_S, (i) => sid(i * 31 + 3)).map((id) => `/api/v1/structures/${id}/matches${QUERY}`),
    ...spread(warm, N_R, (i) => rid(i * 31 + 3)).map((id) => `/api/v1/resources/${id}/matches${QUERY}`)]);
  const withCpu = async (paths: string[]) => {
    const before = processCpuMs(pid);
    const figures = percentiles(await timed(paths));
    return { ...figures, serverCpuMsPerRequest: Math.round(((processCpuMs(pid) - before) / paths.length) * 100) / 100 };
  };
  const structure = await withCpu(spread(N_Q, N_S, sid).map((id) => `/api/v1/structures/${id}/matches${QUERY}`));
  const resource = await withCpu(spread(N_Q, N_R, rid).map((id) => `/api/v1/resources/${id}/matches${QUERY}`));
  const read = await withCpu(spread(Number(values.reads), N_S, sid).map((id) => `/api/v1/structures/${id}`));
  say(`${label}: structure → resources p95 ${structure.p95} ms, resource → structures p95 ${resource.p95} ms, read p95 ${read.p95} ms`);
  return { structure, resource, read };
}

async function waitForLog(s: Started, pattern: RegExp, timeoutMs: number): Promise<boolean> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    if (pattern.test(s.log())) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

// This version: cold (no snapshot), then warm (from the snapshot saved by the cold start).
const cold = await startService(ROOT, 'this version, cold');
const saved = await waitForLog(cold, /instantané de l’index enregistré/, 600_000);
const savedLine = /"mb":(\d+),"seconds":([\d.]+),"msg":"instantané de l’index enregistré"/.exec(cold.log());
const coldRss = await stopService(cold);
if (!saved) throw new Error('the cold start saved no snapshot');
// On a server, a machine that has not got the snapshot yet reads it from the table first.
let fromTable: { readySeconds: number; firstMatchMs: number; peakRssMB: number } | undefined;
if (serverUrl) {
  rmSync(join(work, 'data.index'), { force: true });
  rmSync(join(work, 'data.index.id'), { force: true });
  const first = await startService(ROOT, 'this version, warm from the table');
  fromTable = { readySeconds: first.readySeconds, firstMatchMs: first.firstMatchMs, peakRssMB: await stopService(first) };
}
const warm = await startService(ROOT, 'this version, warm');
const ours = await measure('this version', warm.child.pid!);
const warmRss = await stopService(warm);

// The previous version, over the same database.
let baseline: Record<string, unknown> | undefined;
const baseRef = values.baseline ?? git('merge-base', 'HEAD', 'main');
if (baseRef !== 'none') {
  const dir = join(work, 'baseline');
  mkdirSync(dir);
  execFileSync('sh', ['-c', `git archive ${baseRef} | tar -x -C "${dir}"`], { cwd: ROOT });
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(dir, 'node_modules'));
  const before = await startService(dir, `previous version (${baseRef.slice(0, 7)})`);
  const figures = await measure('previous version', before.child.pid!);
  baseline = { ref: git('rev-parse', '--short', baseRef), from: /"from":"snapshot"/.test(before.log()) ? 'snapshot' : 'build', readySeconds: before.readySeconds, bindSeconds: before.bindSeconds, firstMatchMs: before.firstMatchMs, ...figures, peakRssMB: await stopService(before) };
}

await dropDatabase();
rmSync(work, { recursive: true, force: true });

// ---------- the table ----------

const results = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, memMB: Math.round(totalmem() / 2 ** 20), node: process.version },
  /** Load average (1, 5, 15 min) at the start and the end: the machine is shared; latencies stretch with it. */
  loadAverage: { start: loadAtStart, end: loadavg().map((x) => Math.round(x * 10) / 10) },
  database, data: { structures: N_S, resources: N_R, importSeconds }, queriesPerDirection: N_Q,
  ours: {
    ref: ourRef,
    cold: { bindSeconds: cold.bindSeconds, readySeconds: cold.readySeconds, firstMatchMs: cold.firstMatchMs, peakRssMB: coldRss, snapshotMB: Number(savedLine?.[1]), snapshotSaveSeconds: Number(savedLine?.[2]) },
    warm: { bindSeconds: warm.bindSeconds, readySeconds: warm.readySeconds, firstMatchMs: warm.firstMatchMs, peakRssMB: warmRss },
    ...(fromTable ? { warmFromTable: fromTable } : {}), ...ours,
  },
  baseline,
};
const b = baseline as (typeof results.ours & { from: string; readySeconds: number; peakRssMB: number; bindSeconds: number; firstMatchMs: number }) | undefined;
const row = (what: string, target: string, now: string, before = '') => `| ${what} | ${now} | ${before} | ${target} |`;
const lat = (x: { p50: number; p95: number; p99: number }) => `${x.p50} / ${x.p95} / ${x.p99}`;
console.log(`Machine: ${results.machine.cpus} × ${results.machine.model}, ${results.machine.memMB} MB, Node ${process.version}`);
console.log(`Data: ${N_S} structures × ${N_R} resources (seed generator) in the ${database}, imported in ${importSeconds} s; ${N_Q} requests per direction, one at a time on loopback`);
console.log(`Load average (shared machine): ${loadAtStart.join(' ')} at the start, ${results.loadAverage.end.join(' ')} at the end\n`);
console.log(`| what | this version (${results.ours.ref}) | previous version${b ? ` (${b.ref})` : ''} | target |`);
console.log('|---|---|---|---|');
console.log(row('port answering after start (s)', 'at once', `${cold.bindSeconds} cold, ${warm.bindSeconds} warm`, b ? String(b.bindSeconds) : ''));
// The previous version may find a snapshot its code can use (same index code): its start goes in the row it was.
const bCold = b?.from === 'build' ? String(b.readySeconds) : '', bWarm = b?.from === 'snapshot' ? String(b.readySeconds) : '';
console.log(row('ready, cold: no snapshot (s)', '', String(cold.readySeconds), bCold));
console.log(row(`ready, warm: from the snapshot${serverUrl ? ' (local copy)' : ''} (s)`, '≤ 20', String(warm.readySeconds), bWarm));
if (fromTable) console.log(row('ready, warm: from the snapshot read from the table (s)', '≤ 20', String(fromTable.readySeconds), ''));
console.log(row('first explained match once ready (ms): cold / warm', '', `${cold.firstMatchMs} / ${warm.firstMatchMs}`, b ? String(b.firstMatchMs) : ''));
console.log(row('structure → resources, explained top-20, p50 / p95 / p99 (ms)', 'p95 ≤ 5', lat(ours.structure), b ? lat(b.structure) : ''));
console.log(row('resource → structures, explained top-20, p50 / p95 / p99 (ms)', 'p95 ≤ 5', lat(ours.resource), b ? lat(b.resource) : ''));
console.log(row('GET one record, p50 / p95 / p99 (ms)', '≤ 1', lat(ours.read), b ? lat(b.read) : ''));
const cpu = (x: { structure: { serverCpuMsPerRequest: number }; resource: { serverCpuMsPerRequest: number }; read: { serverCpuMsPerRequest: number } }) =>
  `${x.structure.serverCpuMsPerRequest} / ${x.resource.serverCpuMsPerRequest} / ${x.read.serverCpuMsPerRequest}`;
console.log(row('server CPU per request: structure → / resource → / read (ms)', '', cpu(ours), b ? cpu(b) : ''));
console.log(row('server peak RSS (MB)', '≤ 2048', `${warmRss} warm, ${coldRss} cold`, b ? String(b.peakRssMB) : ''));
console.log(row('snapshot: size (MB), saving (s, after ready)', '', `${results.ours.cold.snapshotMB}, ${results.ours.cold.snapshotSaveSeconds}`, ''));
const out = resolve('benchmarks/results');
mkdirSync(out, { recursive: true });
const file = join(out, 'serve.json');
let previous: Record<string, unknown> = {};
try { previous = JSON.parse(readFileSync(file, 'utf8')); } catch { /* first run */ }
writeFileSync(file, `${JSON.stringify({ ...previous, [serverUrl ? 'postgres' : 'pglite']: results }, null, 2)}\n`);
process.exit(0);
