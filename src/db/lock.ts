/**
 * One process at a time on an embedded database: PGlite takes no lock on its data folder, and two
 * processes writing it (a running service and a command-line import, say) corrupt it beyond repair.
 * A lock file beside the folder holds the owner's process id; a second opener gets a clear error,
 * and a lock left by a process that no longer runs (kill -9) is taken over.
 *
 * The lock file: the owner's process id on the first line; a serving process that shares the
 * database (src/db/share.ts) adds `share pending` while it opens it, then `share SOCKET_PATH`.
 */
import { readFileSync, realpathSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PasserellesError } from '../domain/errors.ts';

/**
 * The folder itself, whatever path reaches it: a symbolic link (or `..`) resolved, so that two
 * openers through different paths find the same lock. A folder not created yet keeps its path.
 */
export function realDataDir(dataDir: string): string {
  try { return realpathSync(dataDir); } catch { return resolve(dataDir); }
}

export const lockPathOf = (dataDir: string): string => `${realDataDir(dataDir)}.lock`;

export const running = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by another user
  }
};

/** Takes the lock of a data folder (absolute path); returns its release. `note` is a second line. */
export function lockDataDir(dataDir: string, note?: string): () => void {
  const path = lockPathOf(dataDir);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n${note ? `${note}\n` : ''}`, { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) {
        throw new PasserellesError('db.lock_failed', `Impossible de verrouiller la base embarquée (${path}) : ${(e as Error).message}`, 500);
      }
      const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(owner) && running(owner)) {
        throw new PasserellesError('db.locked',
          `La base embarquée « ${dataDir} » est ouverte par un autre processus (PID ${owner}${owner === process.pid ? ', celui-ci' : ''}) ` +
          'qui ne la partage pas (une autre commande) : attendez qu’il se termine, ou partagez un serveur PostgreSQL (DATABASE_URL). ' +
          `Si aucun processus Passerelles ne tourne, supprimez ${path}.`, 409);
      }
      unlinkSync(path); // left by a process that no longer runs
    }
  }
  const release = () => {
    process.off('exit', release);
    try {
      if (Number.parseInt(readFileSync(path, 'utf8'), 10) === process.pid) unlinkSync(path);
    } catch { /* already gone */ }
  };
  process.on('exit', release);
  return release;
}

/** Who holds the lock of a data folder, and where it shares the database (undefined: nobody). */
export function readLock(dataDir: string): { pid: number; share?: string } | undefined {
  let text: string;
  try { text = readFileSync(lockPathOf(dataDir), 'utf8'); } catch { return undefined; }
  const [first, second = ''] = text.split('\n');
  const pid = Number.parseInt(first, 10);
  if (!Number.isInteger(pid) || !running(pid)) return undefined;
  const share = /^share (.+)$/.exec(second)?.[1];
  return share ? { pid, share } : { pid };
}

/** Tells other processes where the holder shares the database (atomic: the lock is never empty). */
export function announceShare(dataDir: string, socketPath: string): void {
  const path = lockPathOf(dataDir);
  writeFileSync(`${path}.${process.pid}.tmp`, `${process.pid}\nshare ${socketPath}\n`);
  renameSync(`${path}.${process.pid}.tmp`, path);
}
