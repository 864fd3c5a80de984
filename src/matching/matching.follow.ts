/**
 * What other processes write to the store reaches this process's index: each
 * committed write is reported with the instant it started (the commands beside `serve`, through src/db/share.ts), and the rows changed
 * since then (updated_at, the transaction time, archived ones included) are read back into the
 * index with `catchUp`, as after a bulk import through the API. Writes reported before the index
 * exists (during the demo data load or the index build) are caught up as soon as it is attached.
 *
 * The same follower makes the index converge with the store when a catch-up fails (the database
 * went away after an import committed, say): the instant is kept and the catch-up tried again with
 * a growing delay (250 ms, doubled up to 5 s) until it succeeds; meanwhile `status()` says the
 * index is behind, and since when (/readyz shows it). The API's own imports report to it too.
 */
import type { Logger } from '../config/logger.ts';
import type { Store } from '../db/open.ts';
import type { Index } from '../engine/index.ts';
import { catchUp } from './matching.sync.ts';

/** Margin for the clocks of the two processes (same machine); re-reading a row is harmless. */
const MARGIN_MS = 1000;

/** Delays between the tries of a failed catch-up: from the first, doubled up to the last. */
export const RETRY_DELAYS_MS = { first: 250, max: 5000 };

/** The index behind the store: since when (the oldest change not yet applied), tries so far, last error. */
export interface IndexBehind { behind: true; since: string; attempts: number; reason?: string }

export function followWrites(logger: Logger, delays = RETRY_DELAYS_MS) {
  let since: Date | undefined;
  let target: { store: Store; index: Index } | undefined;
  let running: Promise<void> | undefined;
  let failing: { since: Date; attempts: number; reason: string } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const run = async () => {
    while (since && target) {
      const at = since;
      const from = new Date(at.getTime() - MARGIN_MS);
      since = undefined;
      try {
        const structures = await catchUp(target.store, target.index, 'structure', from);
        const resources = await catchUp(target.store, target.index, 'resource', from);
        if (failing) logger.info({ structures, resources, attempts: failing.attempts }, 'index rattrapé : de nouveau à jour avec la base');
        else logger.info({ structures, resources }, 'index mis à jour après une écriture');
        failing = undefined;
      } catch (err) {
        const later = since as Date | undefined; // reported while this catch-up ran
        since = later && later < at ? later : at; // to be read again, from the same instant
        const attempts = (failing?.attempts ?? 0) + 1;
        failing = { since: failing?.since ?? at, attempts, reason: (err as Error)?.message ?? String(err) };
        const delay = Math.min(delays.first * 2 ** (attempts - 1), delays.max);
        logger.warn({ err, attempts, retryInMs: delay }, 'index en retard sur la base : rattrapage impossible, nouvel essai');
        if (!stopped) timer = setTimeout(() => { timer = undefined; kick(); }, delay);
        return;
      }
    }
  };
  const kick = () => {
    if (running || timer || stopped || !target || !since) return;
    running = run().finally(() => { running = undefined; kick(); });
  };
  return {
    /** Rows changed since `at` must reach the index (a write committed by another process, or an import whose catch-up failed). */
    onWrite(at: Date) {
      since = since && since < at ? since : at;
      kick();
    },
    attach(store: Store, index: Index) {
      target = { store, index };
      kick();
    },
    /** Undefined when every change reported has reached the index; else since when it is behind. */
    status(): IndexBehind | undefined {
      if (!failing) return undefined;
      return { behind: true, since: failing.since.toISOString(), attempts: failing.attempts, reason: failing.reason };
    },
    /** Settles when no catch-up is running or waiting to be tried again (tests, shutdown). */
    settled: async () => { while (running || timer) await (running ?? new Promise((r) => setTimeout(r, 20))); },
    /** No more tries (shutdown). */
    stop() { stopped = true; if (timer) clearTimeout(timer); timer = undefined; },
  };
}

export type WriteFollower = ReturnType<typeof followWrites>;
