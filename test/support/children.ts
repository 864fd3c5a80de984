/** `passerelles` as a child process, its output captured, for the tests of processes and kill -9. */
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from './batch.ts';

export interface Child { process: ChildProcess; stdout: string; stderr: string; exited: Promise<number | null> }

export function startCli(args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, PASSERELLES_DEMO_DATA: 'false', DOTENV_CONFIG_QUIET: 'true', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Child = { process: child, stdout: '', stderr: '', exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
  child.stdout!.on('data', (d) => { out.stdout += d; });
  child.stderr!.on('data', (d) => { out.stderr += d; });
  return out;
}

/** Resolves when `count` log lines of the child contain `text`. */
export async function waitForLines(child: Child, text: string, count: number, timeoutMs = 90_000): Promise<void> {
  const started = Date.now();
  while (child.stderr.split('\n').filter((l) => l.includes(text)).length < count) {
    if (Date.now() - started > timeoutMs) throw new Error(`timeout waiting for ${count} × « ${text} »:\n${child.stderr.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

