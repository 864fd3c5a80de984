/**
 * Planner statistics of the record tables (src/db/planner.ts), on both databases: PGlite runs no
 * autovacuum, and a server's comes round a while after a bulk load, if it runs at all; so an import
 * that changes a large share of a table analyses it, and a table never analysed is analysed when
 * the index is loaded.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/db/open.ts';
import { refreshPlannerStats } from '../src/db/planner.ts';
import { loadGeography } from '../src/geo/geography.ts';
import { importRecords } from '../src/importer/index.ts';
import { OPERATOR } from '../src/access/access.policy.ts';
import { actorOf } from '../src/audit/audit.repository.ts';
import { loadMatchingFiles } from '../src/matching/matching.models.ts';
import { loadIndex } from '../src/matching/matching.sync.ts';
import { devRecords, fromText, toJsonl } from './support/import-fixtures.ts';
import { openTestStore, storeKinds } from './support/stores.ts';

const geography = loadGeography();

/** pg_class.reltuples: -1 for a table never analysed, else the count its last analysis saw. */
async function tuples(store: Store, table: string): Promise<number> {
  const [row] = await store.rows<{ n: number }>(sql`select reltuples::float8 as n from pg_class where oid = to_regclass(${table})`);
  return Number(row.n);
}

describe.each(storeKinds())('planner statistics on %s', (kind) => {
  let store: Store;
  beforeAll(async () => { store = await openTestStore(kind); });
  afterAll(() => store.close());

  it('analyses the table a large import changed, and only that one', async () => {
    const structures = devRecords('structure');
    expect(await tuples(store, 'structures')).toBe(-1);
    await importRecords({ store, geography }, {
      kind: 'structure', format: 'jsonl', source: fromText(toJsonl(structures)), sourceName: 'test.jsonl', onReject: () => {}, actor: actorOf(OPERATOR),
    });
    expect(await tuples(store, 'structures')).toBe(structures.length);
    expect(await tuples(store, 'resources')).toBe(-1);
    // nothing more changed: no second analysis
    expect(await refreshPlannerStats(store, ['structures'], 1)).toEqual([]);
  });

  it('analyses the record tables never analysed when the index is loaded', async () => {
    expect(await tuples(store, 'resources')).toBe(-1);
    await loadIndex(store, loadMatchingFiles());
    expect(await tuples(store, 'resources')).toBe(0);
  });
});
