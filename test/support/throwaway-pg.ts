/**
 * A PostgreSQL instance of the test's own, to stop and start under traffic (never the shared test
 * server): the binaries of the machine's PostgreSQL (/usr/lib/postgresql/N/bin), a cluster made
 * by `initdb` in a temporary folder, `pg_ctl` on a free port. Tests run as root here, and
 * PostgreSQL refuses root: the commands then run as the `postgres` user, the folder chowned to it.
 *
 *   const pg = throwawayBinaries();          // undefined: skip, with the reason in `missingReason`
 *   const server = await startThrowaway(pg); // server.url, server.stop(), server.start(), server.remove()
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { freePort } from './ports.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = '/usr/lib/postgresql';

/** The folder of initdb, pg_ctl and postgres (the newest version installed), or undefined. */
export function throwawayBinaries(): string | undefined {
  if (!existsSync(ROOT)) return undefined;
  const versions = readdirSync(ROOT).filter((v) => existsSync(join(ROOT, v, 'bin', 'pg_ctl')) && existsSync(join(ROOT, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(ROOT, versions[0], 'bin') : undefined;
}

export const missingReason = `pas de binaires PostgreSQL (initdb, pg_ctl) sous ${ROOT}/*/bin : tests de panne ignorés`;

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary, as the `postgres` user when this process is root. */
function run(bin: string, args: string[]): void {
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  // no pipe: the server started by pg_ctl would inherit it, and the call would wait for its end
  execFileSync(cmd, argv, { stdio: 'ignore' });
}

export interface ThrowawayServer {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  /** Fast shutdown (connections cut, as when a server stops): resolves once it is down. */
  stop(): void;
  start(): void;
  /** Stops it (immediate mode) and removes its folder. */
  remove(): void;
}

export async function startThrowaway(bin: string): Promise<ThrowawayServer> {
  const dir = mkdtempSync(join(tmpdir(), 'passerelles-pg-'));
  chmodSync(dir, 0o777);
  if (asRoot) execFileSync('chown', ['postgres', dir]);
  const data = join(dir, 'data');
  const port = await freePort();
  run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=60`;
  const server: ThrowawayServer = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start: () => { run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', 'start']); },
    stop: () => { run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']); },
    remove: () => {
      const asUser = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop']] as const
        : [join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']] as const;
      spawnSync(asUser[0], [...asUser[1]], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
  server.start();
  return server;
}
