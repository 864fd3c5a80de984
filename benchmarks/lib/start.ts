/**
 * The service started exactly as `npm start` starts it: the `start` script of the package.json of
 * `cwd` (this version or a baseline's), run by sh with `exec`, so that the child process is node
 * itself (its pid is the service's, for memory and CPU readings; a signal reaches it). Extra node
 * flags go on the script's `node` command line (some, like --cpu-prof, are refused in NODE_OPTIONS).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import postgres from 'postgres';


export function spawnStart(cwd: string, env: NodeJS.ProcessEnv, nodeFlags: string[] = []): ChildProcess {
  const { scripts } = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { scripts: { start: string } };
  // npm puts node's folder first on PATH; so does this, so that `node` is the node running the benchmark.
  const path = `${dirname(process.execPath)}:${env.PATH ?? ''}`;
  if (nodeFlags.length > 0 && !/^node\s/.test(scripts.start)) throw new Error(`node flags need a start script beginning with node: ${scripts.start}`);
  const command = nodeFlags.length > 0 ? scripts.start.replace(/^node\s/, `node ${nodeFlags.join(' ')} `) : scripts.start;
  return spawn('sh', ['-c', `exec ${command}`], {
    cwd, env: { ...env, PATH: path }, stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/**
 * A new, empty database `name` on the PostgreSQL server of `serverUrl` (dropped first if a run
 * left it): its URL, and how to drop it at the end.
 */
export async function freshServerDatabase(serverUrl: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = postgres(serverUrl, { onnotice: () => {}, max: 1 });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => { await admin.unsafe(`drop database if exists ${name} with (force)`); await admin.end(); },
  };
}
