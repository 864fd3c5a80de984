/**
 * Progress bar of an import on a terminal: share of the file's bytes read, lines and rate,
 * redrawn at most every 100 ms on one line of stderr. Only used when stderr is a TTY.
 */
import type { ImportProgress } from './import.ts';

const WIDTH = 24;
const CLEAR_LINE = '\r\x1b[2K';
const fr = (n: number) => Math.round(n).toLocaleString('fr-FR');

/** One line of progress; `totalBytes` unknown (a pipe) → no bar, just counts. */
export function formatProgress(p: ImportProgress, totalBytes: number | undefined, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (p.line * 1000) / elapsedMs : 0;
  const counts = `${fr(p.line)} ligne${p.line > 1 ? 's' : ''} · ${fr(rate)} lignes/s`;
  if (!totalBytes) return counts;
  const share = Math.min(1, p.bytes / totalBytes);
  const full = Math.round(share * WIDTH);
  return `[${'█'.repeat(full)}${'░'.repeat(WIDTH - full)}] ${String(Math.floor(share * 100)).padStart(3)} % · ${counts}`;
}

export interface ProgressBar {
  update(p: ImportProgress): void;
  /** Erases the bar (before printing something else, and at the end). */
  clear(): void;
}

export function createProgressBar(
  stream: NodeJS.WritableStream, totalBytes: number | undefined, now: () => number = Date.now, intervalMs = 100,
): ProgressBar {
  const started = now();
  let last = 0;
  let shown = false;
  return {
    update(p) {
      const t = now();
      if (t - last < intervalMs) return;
      last = t;
      shown = true;
      stream.write(`${CLEAR_LINE}${formatProgress(p, totalBytes, t - started)}`);
    },
    clear() {
      if (shown) stream.write(CLEAR_LINE);
      shown = false;
      last = 0;
    },
  };
}
