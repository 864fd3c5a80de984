/**
 * The READMEs' command blocks, run as a newcomer pastes them: in order, in one shell (variables
 * carry over from block to block), in a fresh folder (its own `./.data`) on a free port (`PORT`).
 * Each example output the READMEs show is compared with what the command printed; `--write`
 * rewrites the outputs that differ from what it got, `--check` (default) lists them and fails.
 *
 *   node bin/run-ts.mjs scripts/readme-examples.ts [--write] [--keep]
 *
 * What is run: fenced blocks marked `sh` or `console` (others are shown, not run), unless the line
 * before says `<!-- readme-examples: skip -->`. In `sh` blocks a command is a line (with its `\`
 * continuations); the comment lines right after it that start with `#   ` (three spaces) are its
 * standard output, `#   stderr: ` lines what its standard error must hold. In `console` blocks,
 * `$ ` starts a command and the lines up to the next one are its standard output. In an expected
 * output, `…` stands for any text; a JSON output is compared without its whitespace.
 *
 * The folder links `seed/` and `test/` of the checkout. `npx passerelles` runs bin/passerelles.mjs;
 * `PASSERELLES_SWAP_SHARE=0`, as the README says of its lists (no random swap of two neighbours).
 * `npm ci` and `npm test` are skipped (installed already; this is the test); a command holding
 * `npm start` runs in the background (the newcomer's first terminal; the next command waits for its
 * /readyz, as the newcomer waits for « Passerelles est prêt ») and is stopped at the end.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The READMEs, in the order a newcomer reads them. */
export const READMES = ['README.md', 'src/api/README.md', 'seed/README.md', 'models/THESAURUS.md'];

interface Expected { lines: number[]; text: string[] }
export interface Step {
  file: string;
  /** The command as written (continuations joined with their newlines). */
  command: string;
  background: boolean;
  /** Index of the command's last line in its file (outputs go right after it). */
  end: number;
  /** Block style, for rewriting. */
  style: 'sh' | 'console';
  stdout?: Expected;
  stderr?: Expected;
}
export interface Outcome { step: Step; code: number; stdout: string; stderr: string }
export interface Drift { step: Step; what: 'stdout' | 'stderr' | 'exit'; expected: string; actual: string }

const OUTPUT = /^# {3}(?!stderr: )(.*)$/;
const STDERR = /^# {3}stderr: (.*)$/;

/** The steps of one README. */
export function parseReadme(file: string, text: string): Step[] {
  const lines = text.split('\n');
  const steps: Step[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\w*)\s*$/.exec(lines[i]);
    if (!fence) continue;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    let before = i - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    const skip = before >= 0 && lines[before].includes('<!-- readme-examples: skip');
    if ((fence[1] === 'sh' || fence[1] === 'console') && !skip) {
      if (fence[1] === 'sh') parseSh(file, lines, i + 1, end, steps);
      else parseConsole(file, lines, i + 1, end, steps);
    }
    i = end;
  }
  return steps;
}

function parseSh(file: string, lines: string[], from: number, to: number, steps: Step[]) {
  let current: Step | undefined;
  for (let i = from; i < to; i++) {
    const line = lines[i];
    const out = OUTPUT.exec(line);
    const err = STDERR.exec(line);
    if (current && (out || err)) {
      const slot = out ? (current.stdout ??= { lines: [], text: [] }) : (current.stderr ??= { lines: [], text: [] });
      slot.lines.push(i);
      slot.text.push((out ?? err)![1]);
      continue;
    }
    if (line.trim() === '' || line.trimStart().startsWith('#')) { current = undefined; continue; }
    let command = line;
    while (/\\\s*$/.test(lines[i]) && i + 1 < to) command += `\n${lines[++i]}`;
    current = { file, command, end: i, background: /&\s*(#.*)?$/.test(command) || /\bnpm start\b/.test(command), style: 'sh' };
    steps.push(current);
  }
}

function parseConsole(file: string, lines: string[], from: number, to: number, steps: Step[]) {
  let current: Step | undefined;
  for (let i = from; i < to; i++) {
    if (lines[i].startsWith('$ ')) {
      current = { file, command: lines[i].slice(2), end: i, background: false, style: 'console', stdout: { lines: [], text: [] } };
      steps.push(current);
    } else if (current) {
      current.stdout!.lines.push(i);
      current.stdout!.text.push(lines[i]);
    }
  }
  for (const s of steps) if (s.stdout && s.style === 'console') trimEnd(s.stdout);
}

function trimEnd(e: Expected) {
  while (e.text.length > 0 && e.text[e.text.length - 1].trim() === '') { e.text.pop(); e.lines.pop(); }
}

const freePort = () => new Promise<number>((ok, ko) => {
  const server = createServer();
  server.once('error', ko);
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    server.close(() => ok(port));
  });
});

/** Runs every step in one bash, in a fresh folder; gives what each printed. */
export async function runSteps(steps: Step[], options: { keep?: boolean; timeoutMs?: number } = {}): Promise<{ outcomes: Outcome[]; folder: string }> {
  const folder = mkdtempSync(join(tmpdir(), 'passerelles-readme-'));
  const out = join(folder, '.readme-out');
  const bin = join(folder, '.readme-bin');
  mkdirSync(out);
  mkdirSync(bin);
  for (const linked of ['seed', 'test']) symlinkSync(join(REPO, linked), join(folder, linked));
  const shim = (name: string, body: string) => { writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`); chmodSync(join(bin, name), 0o755); };
  const node = JSON.stringify(process.execPath);
  const cli = JSON.stringify(join(REPO, 'bin/passerelles.mjs'));
  shim('npx', `if [ "$1" = passerelles ]; then shift; exec ${node} ${cli} "$@"; fi\necho "readme-examples: npx $* is not run here" >&2; exit 127`);
  shim('npm', `case "$1" in\n  ci|test) exit 0 ;;\n  start) exec ${node} ${cli} serve ;;\n  *) echo "readme-examples: npm $* is not run here" >&2; exit 127 ;;\nesac`);
  const script = ['cd "$READMEX_FOLDER"'];
  steps.forEach((step, n) => {
    const files = `> "$READMEX_OUT/${n}.out" 2> "$READMEX_OUT/${n}.err"`;
    if (step.background) {
      const command = step.command.replace(/&\s*(#.*)?$/, '');
      script.push(`( ${command}\n) ${files} &`, `echo 0 > "$READMEX_OUT/${n}.rc"`);
      // the newcomer waits for « Passerelles est prêt » before the next command: so does the script
      script.push('for i in $(seq 1 600); do curl -sf "http://127.0.0.1:$PORT/readyz" > /dev/null && break; sleep 0.5; done');
    } else {
      script.push(`{ ${step.command}\n} ${files}`, `echo $? > "$READMEX_OUT/${n}.rc"`);
    }
  });
  writeFileSync(join(folder, '.readme-run.sh'), `${script.join('\n')}\n`);
  const env: NodeJS.ProcessEnv = {
    ...process.env, PORT: String(await freePort()), PATH: `${bin}:${process.env.PATH}`,
    READMEX_FOLDER: folder, READMEX_OUT: out,
    // the README's lists are shown unshuffled, as it says: no random swap of two neighbours
    PASSERELLES_SWAP_SHARE: '0',
  };
  for (const v of ['DATABASE_URL', 'PASSERELLES_DATA_DIR', 'LOG_LEVEL', 'PASSERELLES_DEMO_DATA', 'HOST']) delete env[v];
  try {
    await new Promise<void>((ok, ko) => {
      const bash = spawn('bash', [join(folder, '.readme-run.sh')], { env, stdio: 'inherit', detached: true });
      // on timeout, the whole group this script started (bash and the commands it runs)
      const timer = setTimeout(() => { try { process.kill(-bash.pid!, 'SIGTERM'); } catch { /* gone */ } ko(new Error('README examples: timed out')); }, options.timeoutMs ?? 400_000);
      bash.once('exit', () => { clearTimeout(timer); ok(); });
    });
  } finally {
    await stopService(folder);
  }
  const read = (n: number, ext: string) => (existsSync(join(out, `${n}.${ext}`)) ? readFileSync(join(out, `${n}.${ext}`), 'utf8') : '');
  const outcomes = steps.map((step, n) => ({ step, code: Number(read(n, 'rc').trim() || '-1'), stdout: read(n, 'out'), stderr: read(n, 'err') }));
  if (!options.keep) rmSync(folder, { recursive: true, force: true });
  return { outcomes, folder };
}

/** Stops the service `npm start` left running: its pid is in the lock of the folder's database. */
async function stopService(folder: string) {
  const lock = join(folder, '.data.lock');
  if (!existsSync(lock)) return;
  const pid = Number.parseInt(readFileSync(lock, 'utf8'), 10);
  if (!Number.isInteger(pid)) return;
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  for (let i = 0; i < 200 && existsSync(lock); i++) await new Promise((r) => setTimeout(r, 100));
}

const squash = (s: string) => s.replace(/\s+/g, '');
const tidy = (s: string) => s.split('\n').map((l) => l.replace(/\s+$/, '')).join('\n').replace(/\n+$/, '');
const pattern = (template: string) => new RegExp(`^${template.split('…').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*?')}$`);

/** Whether a printed text matches what the README shows (`…` = anything; JSON without whitespace). */
export function matches(expected: string[], actual: string): boolean {
  const template = expected.join('\n');
  if (/^\s*[[{]/.test(template)) return pattern(squash(template)).test(squash(actual));
  return pattern(tidy(template).replace(/ +/g, ' ')).test(tidy(actual).replace(/ +/g, ' '));
}

/** stderr: each line the README shows matches a line printed (logs and other lines may surround them). */
export function stderrMatches(expected: string[], actual: string): boolean {
  const printed = actual.split('\n').map((l) => l.trimEnd());
  return expected.every((e) => printed.some((p) => matches([e], p)));
}

export function drifts(outcomes: Outcome[]): Drift[] {
  const found: Drift[] = [];
  for (const { step, code, stdout, stderr } of outcomes) {
    if (code !== 0) found.push({ step, what: 'exit', expected: '0', actual: `${code}\n${stderr.slice(0, 2000)}` });
    if (step.stdout && !matches(step.stdout.text, stdout)) found.push({ step, what: 'stdout', expected: step.stdout.text.join('\n'), actual: tidy(stdout) });
    if (step.stderr && !stderrMatches(step.stderr.text, stderr)) found.push({ step, what: 'stderr', expected: step.stderr.text.join('\n'), actual: tidy(stderr) });
  }
  return found;
}

/** Rewrites, in the README files, the outputs that drifted with what the commands printed. */
export function rewrite(found: Drift[]): string[] {
  const byFile = new Map<string, Drift[]>();
  for (const d of found) if (d.what !== 'exit') byFile.set(d.step.file, [...(byFile.get(d.step.file) ?? []), d]);
  for (const [file, list] of byFile) {
    const path = join(REPO, file);
    const lines = readFileSync(path, 'utf8').split('\n');
    // from the bottom, so that line numbers above stay right
    const edits = list.map((d) => {
      const slot = d.what === 'stdout' ? d.step.stdout! : d.step.stderr!;
      const shown = d.what === 'stderr' ? d.actual.split('\n').filter((l) => l !== '' && !l.startsWith('{')) : d.actual.split('\n');
      const prefix = d.step.style === 'console' ? '' : d.what === 'stderr' ? '#   stderr: ' : '#   ';
      // an output the README does not show yet goes right after its command
      const at = slot.lines.length > 0 ? slot.lines[0] : d.step.end + 1;
      return { at, count: slot.lines.length, text: shown.map((l) => `${prefix}${l}`) };
    }).sort((a, b) => b.at - a.at);
    for (const e of edits) lines.splice(e.at, e.count, ...e.text);
    writeFileSync(path, lines.join('\n'));
  }
  return [...byFile.keys()];
}

export function allSteps(): Step[] {
  return READMES.flatMap((file) => parseReadme(file, readFileSync(join(REPO, file), 'utf8')));
}

async function cli() {
  const write = process.argv.includes('--write');
  const steps = allSteps();
  console.error(`${steps.length} commandes dans ${READMES.join(', ')} ; exécution…`);
  const { outcomes, folder } = await runSteps(steps, { keep: process.argv.includes('--keep') });
  const found = drifts(outcomes);
  for (const d of found) {
    console.error(`\n${d.step.file} : ${d.step.command.split('\n')[0]}\n  ${d.what} attendu :\n${d.expected}\n  obtenu :\n${d.actual}`);
  }
  if (process.argv.includes('--keep')) console.error(`\ndossier conservé : ${folder}`);
  if (found.length === 0) { console.error('Toutes les sorties des README sont à jour.'); return 0; }
  if (write) {
    const files = rewrite(found);
    console.error(`\nSorties réécrites dans ${files.join(', ')} (à relire : abrégez les longues sorties avec …).`);
    return found.some((d) => d.what === 'exit') ? 1 : 0;
  }
  console.error(`\n${found.length} écart(s) ; node bin/run-ts.mjs scripts/readme-examples.ts --write pour réécrire les sorties.`);
  return 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = await cli();
