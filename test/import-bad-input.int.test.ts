/**
 * Imports of files with bad input in one record, on each database: that record is rejected with its
 * line and field, the others are imported, and no message carries SQL or the batch's values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/db/open.ts';
import type { EntityKind } from '../src/domain/types.ts';
import { loadGeography } from '../src/geo/geography.ts';
import { importRecords, type Reject } from '../src/importer/index.ts';
import { OPERATOR } from '../src/access/access.policy.ts';
import { actorOf } from '../src/audit/audit.repository.ts';
import { fromText, generatedStructures, toCsv, toJsonl } from './support/import-fixtures.ts';
import { openTestStore, storeKinds } from './support/stores.ts';

const geography = loadGeography();

export async function run(store: Store, kind: EntityKind, text: string | Buffer, format: 'jsonl' | 'csv' = 'jsonl') {
  const rejects: Reject[] = [];
  const summary = await importRecords({ store, geography }, {
    kind, format, source: fromText(text, 4096), sourceName: `bad.${format}`, onReject: (r) => { rejects.push(r); }, actor: actorOf(OPERATOR),
  });
  return { summary, rejects };
}

export const where = (rejects: Reject[]) => rejects.map((r) => [r.line, r.field, r.code]);

describe.each(storeKinds())('bad characters in an imported file on %s', (kind) => {
  let store: Store;
  beforeAll(async () => { store = await openTestStore(kind); });
  afterAll(() => store?.close());

  it('rejects the one record with a NUL or a lone surrogate in JSON Lines, with its line and field', async () => {
    const records = generatedStructures(5);
    records[1] = { ...records[1], name: 'Le\u0000Phare' };
    records[3] = { ...records[3], remarque: 'x\ud800' };
    const { summary, rejects } = await run(store, 'structure', toJsonl(records));
    expect([summary.inserted, summary.rejected, summary.total]).toEqual([3, 2, 5]);
    expect(where(rejects)).toEqual([[2, 'name', 'import.bad_text'], [4, 'remarque', 'import.bad_text']]);
  });

  it('rejects the one CSV row with a NUL byte, with its line and column', async () => {
    const records: Record<string, unknown>[] = generatedStructures(4).map((r) => ({ ...r, id: `csv-${String(r.id)}` }));
    records[2] = { ...records[2], description: 'avant\u0000après' };
    const { summary, rejects } = await run(store, 'structure', toCsv(records), 'csv');
    expect([summary.inserted, summary.rejected]).toEqual([3, 1]);
    expect(where(rejects)).toEqual([[4, 'description', 'import.bad_text']]);
  });

  it('announces a stray CSV quote with the lines it spans and imports every valid record after it', async () => {
    const records: Record<string, unknown>[] = generatedStructures(101).map((r) => ({ ...r, id: `q-${String(r.id)}` }));
    const csv = toCsv(records).split('\n');
    // line 52 = record 51: its description opens a quote that is never closed on that line
    csv[51] = csv[51].replace(/,([^,]*)$/, ',"$1');
    const { summary, rejects } = await run(store, 'structure', csv.join('\n'), 'csv');
    expect([summary.total, summary.rejected]).toEqual([101, 1]);
    expect(summary.inserted).toBe(100);
    expect(rejects[0]).toMatchObject({ line: 52, code: 'import.bad_csv' });
    expect(rejects[0].reason).toMatch(/guillemet ouvert ligne 52/);
  });

  it('rejects a record with a field over the 4 MiB line limit, naming its line and field, and imports the rest', async () => {
    const records: Record<string, unknown>[] = generatedStructures(3).map((r) => ({ ...r, id: `big-${String(r.id)}` }));
    records[1] = { ...records[1], description: 'x'.repeat(4 * 1024 * 1024 + 10) };
    for (const format of ['jsonl', 'csv'] as const) {
      const text = format === 'csv' ? toCsv(records) : toJsonl(records);
      const { summary, rejects } = await run(store, 'structure', text, format);
      expect([summary.total, summary.rejected], format).toEqual([3, 1]);
      expect(where(rejects), format).toEqual([[2 + (format === 'csv' ? 1 : 0), 'description', 'import.line_too_long']]);
      expect(rejects[0].raw.length).toBeLessThan(1000);
    }
  });
});
