/**
 * The last finished nightly run's summary in /metrics (read from the store at each scrape, so that
 * every API instance exports it, whichever process ran the batch).
 */
import { Gauge, type Registry } from 'prom-client';
import type { Store } from '../db/open.ts';
import { createBatchRepository } from '../batch/batch.repository.ts';

export function batchGauges(registry: Registry, store: Store): () => Promise<void> {
  const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [registry] });
  const run = gauge('passerelles_batch_last_run_id', 'Numéro du dernier calcul de nuit terminé.');
  const finished = gauge('passerelles_batch_last_run_finished_timestamp_seconds', 'Fin du dernier calcul de nuit (secondes depuis 1970).');
  const duration = gauge('passerelles_batch_last_run_duration_seconds', 'Durée du dernier calcul de nuit.');
  const pairs = gauge('passerelles_batch_last_run_pairs_scored', 'Paires notées par le dernier calcul de nuit.');
  const queries = gauge('passerelles_batch_last_run_queries', 'Fiches classées par le dernier calcul de nuit.');
  const throughput = gauge('passerelles_batch_last_run_queries_per_second', 'Débit du dernier calcul de nuit (fiches par seconde).');
  const workers = gauge('passerelles_batch_last_run_workers', 'Processus ayant écrit des tranches du dernier calcul de nuit.');
  const results = gauge('passerelles_batch_last_run_results', 'Fiches avec leurs correspondances, par région, au dernier calcul de nuit.', ['region']);
  const repo = createBatchRepository(store);
  return async () => {
    const [last] = await repo.finished(1).catch(() => []);
    if (!last?.summary) return;
    const s = last.summary;
    run.set(last.id);
    if (last.finishedAt) finished.set(last.finishedAt.getTime() / 1000);
    duration.set(s.durationMs / 1000);
    pairs.set(s.pairsScored);
    queries.set(s.queries);
    throughput.set(s.queriesPerSecond);
    workers.set(s.workers);
    results.reset();
    for (const [region, n] of Object.entries(s.resultsByRegion)) results.set({ region }, n);
  };
}
