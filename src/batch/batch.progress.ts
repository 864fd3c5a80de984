/**
 * Progress of a run: a bar with ETA on a terminal (cli-progress, on stderr), otherwise a
 * structured log line every 10 % or 30 s (for log collectors and CI).
 */
import cliProgress from 'cli-progress';
import type { BatchProgress } from './batch.run.ts';
import type { Logger } from '../config/logger.ts';

export interface RunProgress { update(p: BatchProgress): void; stop(): void }

export function createRunProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, logger: Logger): RunProgress {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar({
      stream: stream as NodeJS.WritableStream as never,
      format: 'Calcul de nuit [{bar}] {percentage} % · {value}/{total} fiches · {shards} tranches · reste {eta_formatted}',
      hideCursor: true, etaBuffer: 50,
    }, cliProgress.Presets.shades_classic);
    let started = false;
    return {
      update(p) {
        if (!started) { bar.start(p.queriesTotal, p.queriesDone, { shards: `${p.shardsDone}/${p.shardsTotal}` }); started = true; }
        bar.update(p.queriesDone, { shards: `${p.shardsDone}/${p.shardsTotal}` });
      },
      stop() { if (started) bar.stop(); },
    };
  }
  const begun = Date.now();
  let lastAt = 0, lastTenth = -1;
  return {
    update(p) {
      const share = p.queriesTotal > 0 ? p.queriesDone / p.queriesTotal : 1;
      const tenth = Math.floor(share * 10);
      const now = Date.now();
      if (tenth === lastTenth && now - lastAt < 30_000) return;
      lastTenth = tenth;
      lastAt = now;
      const elapsed = now - begun;
      const etaSeconds = share > 0 && share < 1 ? Math.round((elapsed / share - elapsed) / 1000) : 0;
      logger.info({ event: 'batch_progress', ...p, percent: Math.floor(share * 100), etaSeconds }, 'calcul de nuit : avancement');
    },
    stop() {},
  };
}
