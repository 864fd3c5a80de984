/**
 * One process at a time on an embedded database: PGlite takes no lock on its data folder, and two
 * processes writing it (a running service and a command-line import, say) corrupt it beyond repair.
 * A lock file beside the folder holds the owner's process id; a second opener gets a clear error,
 * and a lock left by a process that no longer runs (kill -9) is taken over.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { PasserellesError } from '../domain/errors.ts';

export const lockPathOf = (dataDir: string): string => `${dataDir}.lock`;

const running = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by another user
  }
};

/** Takes the lock of a data folder (absolute path); returns its release. */
export function lockDataDir(dataDir: string): () => void {
  const path = lockPathOf(dataDir);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) {
        throw new PasserellesError('db.lock_failed', `Impossible de verrouiller la base embarquée (${path}) : ${(e as Error).message}`, 500);
      }
      const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(owner) && running(owner)) {
        throw new PasserellesError('db.locked',
          `La base embarquée « ${dataDir} » est ouverte par un autre processus (PID ${owner}${owner === process.pid ? ', celui-ci' : ''}) : ` +
          'arrêtez-le d’abord, passez par l’API du service qui tourne, ou partagez un serveur PostgreSQL (DATABASE_URL). ' +
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
