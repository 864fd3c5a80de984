/**
 * What other processes write to the store reaches this process's index: each
 * committed write is reported with the instant it started (the commands beside `serve`, through src/db/share.ts), and the rows changed
 * since then (updated_at, the transaction time, archived ones included) are read back into the
 * index with `catchUp`, as after a bulk import through the API. Writes reported before the index
 * exists (during the demo data load or the index build) are caught up as soon as it is attached.
 */
import type { Logger } from '../config/logger.ts';
import type { Store } from '../db/open.ts';
import type { Index } from '../engine/index.ts';
import { catchUp } from './matching.sync.ts';

/** Margin for the clocks of the two processes (same machine); re-reading a row is harmless. */
const MARGIN_MS = 1000;

export function followWrites(logger: Logger) {
  let since: Date | undefined;
  let target: { store: Store; index: Index } | undefined;
  let running: Promise<void> | undefined;

  const run = async () => {
    while (since && target) {
      const from = new Date(since.getTime() - MARGIN_MS);
      since = undefined;
      const structures = await catchUp(target.store, target.index, 'structure', from);
      const resources = await catchUp(target.store, target.index, 'resource', from);
      logger.info({ structures, resources }, 'index mis à jour après une écriture d’une autre commande');
    }
  };
  const kick = () => {
    if (running || !target || !since) return;
    running = run()
      .catch((err: unknown) => { logger.error({ err }, 'mise à jour de l’index impossible après une écriture d’une autre commande'); })
      .finally(() => { running = undefined; kick(); });
  };
  return {
    onWrite(at: Date) {
      since = since && since < at ? since : at;
      kick();
    },
    attach(store: Store, index: Index) {
      target = { store, index };
      kick();
    },
    /** Settles when no catch-up is running (tests, shutdown). */
    settled: async () => { while (running) await running; },
  };
}
