/**
 * Import of structures and resources on each database (PGlite always, PostgreSQL when
 * TEST_DATABASE_URL is set): counts, rejects with their line and field, atomicity, CSV ≡ JSON Lines.
 */
import { asc, desc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../src/db/open.ts';
import { createRecordsRepository } from '../src/records/records.repository.ts';
import { importRuns, resources, structures } from '../src/db/schema.ts';
import type { EntityKind } from '../src/domain/types.ts';
import { loadGeography } from '../src/geo/geography.ts';
import { importRecords, type PostalCodeResolver, type Reject } from '../src/importer/index.ts';
import { OPERATOR } from '../src/access/access.policy.ts';
import { actorOf } from '../src/audit/audit.repository.ts';
import { devRecords, fromText, generatedStructures, toCsv, toJsonl, type Json } from './support/import-fixtures.ts';
import { openTestStore, storeKinds } from './support/stores.ts';

const geography = loadGeography();

interface RunOptions { format?: 'jsonl' | 'csv'; geo?: PostalCodeResolver; signal?: AbortSignal; batchSize?: number }

async function run(store: Store, kind: EntityKind, text: string | Buffer, options: RunOptions = {}) {
  const rejects: Reject[] = [];
  const summary = await importRecords({ store, geography: options.geo ?? geography }, {
    kind, format: options.format ?? 'jsonl', source: fromText(text), sourceName: `test.${options.format ?? 'jsonl'}`,
    onReject: (r) => { rejects.push(r); }, signal: options.signal, batchSize: options.batchSize, actor: actorOf(OPERATOR),
  });
  return { summary, rejects };
}

const counts = (s: { inserted: number; updated: number; unchanged: number; rejected: number }) =>
  [s.inserted, s.updated, s.unchanged, s.rejected];

/** Everything an import may change, to compare before and after a failed one. */
async function snapshot(store: Store) {
  const rows = async (table: typeof structures | typeof resources) => store.db
    .select({ id: table.id, hash: table.contentHash, updatedAt: table.updatedAt, archivedAt: table.archivedAt })
    .from(table as typeof structures).orderBy(asc(table.id));
  return { structures: await rows(structures), resources: await rows(resources), runs: (await store.db.select().from(importRuns)).length };
}

/** A resources file with one of each broken case, between valid records; see the expected rejects below. */
function mixedResources(): string {
  const [a, b, c, d] = devRecords('resource');
  const broken = (changes: Json, drop?: string) => {
    const r: Json = { ...d, ...changes };
    if (drop) delete r[drop];
    return r;
  };
  return toJsonl([
    a,                                                                  // 1 valid
    '{"id": "bad-json", "pillar": "skills",',                           // 2 malformed JSON
    broken({ id: 'no-title' }, 'title'),                                // 3 missing required field
    broken({ id: 'bad-pillar', pillar: 'lieux' }),                      // 4 unknown enum value
    broken({ id: 'short-cp', postal_code: '7500' }),                    // 5 postal code not 5 digits
    broken({ id: 'unknown-cp', postal_code: '99999' }),                 // 6 postal code of no commune
    broken({ id: 'negative', radius_km: -5 }),                          // 7 negative number
    broken({ id: 'dates', available_from: '2027-01-01', available_until: '2026-06-30' }), // 8 end before start
    b,                                                                  // 9 valid
    '',                                                                 // 10 blank line, skipped
    { ...c, id: a.id },                                                 // 11 duplicate id of line 1
    c,                                                                  // 12 valid
  ]);
}

const expectedMixedRejects = [
  [2, undefined, 'import.invalid_json'],
  [3, 'title', 'import.missing_field'],
  [4, 'pillar', 'import.bad_enum'],
  [5, 'postal_code', 'import.bad_postal_code'],
  [6, 'postal_code', 'import.unknown_postal_code'],
  [7, 'radius_km', 'import.negative_number'],
  [8, 'available_until', 'import.bad_date_range'],
  [11, 'id', 'import.duplicate_id'],
];

describe.each(storeKinds())('import on %s', (storeKind) => {
  let store: Store;
  beforeAll(async () => { store = await openTestStore(storeKind); });
  afterAll(() => store?.close());
  beforeEach(async () => {
    await store.db.delete(structures);
    await store.db.delete(resources);
    await store.db.delete(importRuns);
  });

  it('imports the dev set as 40 structures and 80 resources, then finds them all unchanged', async () => {
    const structuresFile = toJsonl(devRecords('structure'));
    const resourcesFile = toJsonl(devRecords('resource'));
    expect(counts((await run(store, 'structure', structuresFile)).summary)).toEqual([40, 0, 0, 0]);
    expect(counts((await run(store, 'resource', resourcesFile)).summary)).toEqual([80, 0, 0, 0]);
    expect(counts((await run(store, 'structure', structuresFile)).summary)).toEqual([0, 0, 40, 0]);
    expect(counts((await run(store, 'resource', resourcesFile)).summary)).toEqual([0, 0, 80, 0]);
    expect(await createRecordsRepository(store).countActive()).toEqual({ structures: 40, resources: 80 });
    const runs = await store.db.select().from(importRuns).orderBy(asc(importRuns.id));
    expect(runs.map((r) => [r.kind, r.inserted, r.unchanged])).toEqual([
      ['structure', 40, 0], ['resource', 80, 0], ['structure', 0, 40], ['resource', 0, 80],
    ]);
  });

  it('imports every valid record of a mixed file and reports each broken one with its line and field', async () => {
    const { summary, rejects } = await run(store, 'resource', mixedResources());
    expect(summary).toMatchObject({ inserted: 3, updated: 0, unchanged: 0, rejected: 8, total: 11 });
    expect(rejects.map((r) => [r.line, r.field, r.code])).toEqual(expectedMixedRejects);
    expect(rejects[4].reason).toContain('99999');
    expect(rejects[7].reason).toContain('ligne 1');
    expect(rejects[0].raw).toBe('{"id": "bad-json", "pillar": "skills",');
    const ids = (await store.db.select({ id: resources.id }).from(resources).orderBy(asc(resources.id))).map((r) => r.id);
    expect(ids).toEqual(devRecords('resource').slice(0, 3).map((r) => r.id).sort());
  });

  it('reports a CSV row by the line it starts on, even after a quoted line break', async () => {
    const [a, b, c] = devRecords('structure');
    const file = toCsv([
      { ...a, description: 'Sur deux\nlignes' },   // line 2-3
      { ...b, employees: 'douze' },                 // line 4: non-numeric cell
      { ...c, legal_form: 'sarl', volunteers: -3 }, // line 5: two errors, one reject
    ]);
    const { summary, rejects } = await run(store, 'structure', file, { format: 'csv' });
    expect(counts(summary)).toEqual([1, 0, 0, 2]);
    expect(rejects.map((r) => [r.line, r.errors.map((e) => `${e.field} ${e.code}`)])).toEqual([
      [4, ['employees import.bad_type']],
      [5, ['legal_form import.bad_enum', 'volunteers import.negative_number']],
    ]);
  });

  it('imports a file with a UTF-8 BOM and CRLF line ends', async () => {
    const file = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(toJsonl(devRecords('structure'), '\r\n'))]);
    expect(counts((await run(store, 'structure', file)).summary)).toEqual([40, 0, 0, 0]);
    const csvFile = `\uFEFF${toCsv(devRecords('resource'), '\r\n')}`;
    expect(counts((await run(store, 'resource', csvFile, { format: 'csv' })).summary)).toEqual([80, 0, 0, 0]);
  });

  it('counts nothing for an empty file, a file of blank lines or a CSV header alone', async () => {
    for (const [text, format] of [['', 'jsonl'], ['\uFEFF\r\n  \n', 'jsonl'], ['id,name,legal_form,description,needs,postal_code\r\n', 'csv']] as const) {
      const { summary } = await run(store, 'structure', text, { format });
      expect(summary).toMatchObject({ inserted: 0, updated: 0, unchanged: 0, rejected: 0, total: 0 });
    }
  });

  it('gives the same rows from CSV as from JSON Lines', async () => {
    for (const kind of ['structure', 'resource'] as const) {
      const records = devRecords(kind);
      await run(store, kind, toJsonl(records));
      const { summary } = await run(store, kind, toCsv(records), { format: 'csv' });
      expect(counts(summary)).toEqual([0, 0, records.length, 0]);
    }
  });

  it('rewrites only the records that changed and keeps the others’ updated_at', async () => {
    const records = devRecords('resource');
    await run(store, 'resource', toJsonl(records));
    const before = await snapshot(store);
    records[4] = { ...records[4], title: 'Nouveau titre' };
    records[9] = { ...records[9], referent: 'Mme Martin' };
    const { summary } = await run(store, 'resource', toJsonl(records));
    expect(counts(summary)).toEqual([0, 2, 78, 0]);
    const after = await snapshot(store);
    const changed = after.resources.filter((r, i) => r.hash !== before.resources[i].hash || +r.updatedAt !== +before.resources[i].updatedAt);
    expect(changed.map((r) => r.id).sort()).toEqual([records[4].id, records[9].id].sort());
    const repo = createRecordsRepository(store);
    expect((await repo.getResource(records[4].id as string))?.record.title).toBe('Nouveau titre');
    expect((await repo.getResource(records[9].id as string))?.record.extra).toEqual({ referent: 'Mme Martin' });
  });

  it('reactivates an archived record that the file brings again', async () => {
    await run(store, 'structure', toJsonl(devRecords('structure')));
    await store.db.update(structures).set({ archivedAt: new Date() }).where(sql`${structures.id} = 'dev-s01'`);
    expect((await createRecordsRepository(store).countActive()).structures).toBe(39);
    const { summary } = await run(store, 'structure', toJsonl(devRecords('structure')));
    expect(counts(summary)).toEqual([0, 1, 39, 0]);
    expect((await createRecordsRepository(store).getStructure('dev-s01'))?.archivedAt).toBeNull();
  });

  it('leaves the database as it was when the import crashes after a batch was written', async () => {
    await run(store, 'structure', toJsonl(devRecords('structure')));
    const before = await snapshot(store);
    let calls = 0;
    const failing: PostalCodeResolver = {
      resolvePostalCode(code) {
        calls += 1;
        if (calls === 700) throw new Error('panne simulée');
        return geography.resolvePostalCode(code);
      },
    };
    const changed = { ...devRecords('structure')[0], name: 'Renommée' };
    const file = toJsonl([changed, ...generatedStructures(999)]);
    await expect(run(store, 'structure', file, { geo: failing, batchSize: 500 })).rejects.toMatchObject({
      code: 'import.failed', message: expect.stringContaining('panne simulée'),
    });
    expect(await snapshot(store)).toEqual(before);
  });

  it('leaves the database as it was when the import is aborted', async () => {
    const abort = new AbortController();
    const geo: PostalCodeResolver = {
      resolvePostalCode(code) {
        if (code === '20090') abort.abort();
        return geography.resolvePostalCode(code);
      },
    };
    await expect(run(store, 'structure', toJsonl(generatedStructures(120)), { geo, signal: abort.signal, batchSize: 10 }))
      .rejects.toMatchObject({ code: 'import.aborted' });
    expect(await snapshot(store)).toEqual({ structures: [], resources: [], runs: 0 });
  });

  it('stops on bytes that are not UTF-8, naming the line, without importing the lines before', async () => {
    const good = toJsonl(devRecords('structure').slice(0, 3));
    const file = Buffer.concat([Buffer.from(good), Buffer.from('{"id": "x", "name": "Caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]);
    await expect(run(store, 'structure', file)).rejects.toMatchObject({ code: 'import.not_utf8', message: expect.stringContaining('ligne 4') });
    expect((await snapshot(store)).structures).toEqual([]);
  });

  it('streams active rows page by page, and only those updated since a watermark set by the import run', async () => {
    await run(store, 'resource', toJsonl(devRecords('resource')));
    const repo = createRecordsRepository(store);
    const all = [];
    for await (const row of repo.streamActive('resource', { batchSize: 7 })) all.push(row);
    expect(all.map((r) => r.record.id)).toEqual(devRecords('resource').map((r) => r.id).sort());
    expect(all[0].place).toMatchObject({ postalCode: all[0].record.postal_code, region: expect.any(String) });

    const watermark = new Date(Math.max(...all.map((r) => +r.updatedAt)) + 1);
    const records = devRecords('resource');
    records[0] = { ...records[0], title: 'Titre modifié' };
    await run(store, 'resource', toJsonl(records));
    const since = [];
    for await (const row of repo.streamActive('resource', { since: watermark })) since.push(row.record.id);
    expect(since).toEqual([records[0].id]);
    const [lastRun] = await store.db.select().from(importRuns).orderBy(desc(importRuns.id)).limit(1);
    expect(+lastRun.startedAt).toBe(+(await repo.getResource(records[0].id as string))!.updatedAt);
  });
});
