#!/usr/bin/env node
// `npm run check`: typecheck, lint and dependency rules side by side; each output printed whole,
// in that order, with its time; exits 1 if any of them failed.
import { spawn } from 'node:child_process';

const parts = ['typecheck', 'lint', 'deps'];
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const run = (script) => new Promise((resolve) => {
  const started = performance.now();
  const child = spawn(npm, ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  child.on('close', (code) => resolve({ script, code, output, seconds: (performance.now() - started) / 1000 }));
});

const results = await Promise.all(parts.map(run));
for (const { script, code, output, seconds } of results) {
  const status = code === 0 ? 'ok' : `FAILED (exit ${code})`;
  process.stdout.write(`── ${script}: ${status} in ${seconds.toFixed(1)} s\n`);
  if (output.trim()) process.stdout.write(`${output.trimEnd()}\n`);
}
process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
