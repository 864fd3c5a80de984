/**
 * What the commands write through the service's socket reaches its in-memory index: each
 * committed write is reported with the instant it started (src/db/share.ts), and the rows changed
 * since then (updated_at, the transaction time, archived ones included) are read back into the
 * engine, as after a bulk import through the API. Writes reported before the engine exists
 * (during the demo data load or the index build) are caught up as soon as it is attached.
 */
import { refreshEngine } from '../api/import.ts';
import type { Logger } from '../config/logger.ts';
import type { Store } from '../db/open.ts';
import type { Engine } from '../engine/types.ts';

/** Margin for the clocks of the two processes (same machine); re-reading a row is harmless. */
const MARGIN_MS = 1000;

export function followSharedWrites(logger: Logger) {
  let since: Date | undefined;
  let target: { store: Store; engine: Engine } | undefined;
  let running: Promise<void> | undefined;

  const run = async () => {
    while (since && target) {
      const from = new Date(since.getTime() - MARGIN_MS);
      since = undefined;
      const structures = await refreshEngine(target, 'structure', from);
      const resources = await refreshEngine(target, 'resource', from);
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
    attach(store: Store, engine: Engine) {
      target = { store, engine };
      kick();
    },
    /** Settles when no catch-up is running (tests, shutdown). */
    settled: async () => { while (running) await running; },
  };
}
