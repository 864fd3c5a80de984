/**
 * A queue worker without ranking threads (`PASSERELLES_BATCH_THREADS=1`, batch.worker.ts) seeds its
 * queries with their top-10 of the run before, as the local run and the threads do: the same rows,
 * fewer pairs scored. Its shards are handed to it directly here (the queue only carries their keys).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchRepository } from '../../src/batch/batch.repository.ts';
import { shardHandler } from '../../src/batch/batch.worker.ts';
import type { Store } from '../../src/db/open.ts';
import { loadGeography } from '../../src/geo/geography.ts';
import { loadMatchingFiles } from '../../src/matching/matching.models.ts';
import { buildIndexFromStore } from '../../src/matching/matching.sync.ts';
import { importDevSet } from '../api/support.ts';
import { quiet, resultsOf, runBatchOn } from '../support/batch.ts';
import { openTestStore, storeKinds } from '../support/stores.ts';

describe.each(storeKinds())('a queue worker without threads, on %s', (kind) => {
  let store: Store;

  beforeAll(async () => {
    store = await openTestStore(kind);
    await importDevSet(store, loadGeography());
  }, 60_000);
  afterAll(() => store?.close());

  it('seeds each query with its top-10 of the run before: the same rows, fewer pairs scored', async () => {
    const first = await runBatchOn(store, { asOf: '2026-12-01' });
    const repo = createBatchRepository(store);
    const run = await repo.createRun({
      trigger: 'test', mode: 'queue', asOf: first.run.asOf, k: first.run.k, modelVersion: first.run.modelVersion, model: first.run.model,
    });
    const shards = await repo.shards(first.run.id);
    await repo.addShards(run.id, shards);
    const handle = shardHandler({ store, logger: quiet, worker: 'test', buildIndex: () => buildIndexFromStore(store, loadMatchingFiles().thesaurus) });
    for (const shard of shards) await handle({ runId: run.id, key: shard.key });
    const figures = await repo.shardFigures(run.id);
    expect(await resultsOf(store, run.id)).toEqual(await resultsOf(store, first.run.id));
    expect(figures.queries).toBe(first.summary.queries);
    expect(figures.pairsScored).toBeLessThan(first.summary.pairsScored);
  }, 60_000);
});
