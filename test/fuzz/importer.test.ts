/**
 * Property tests of the importer's reading and checking (bytes → lines → records → checked), over
 * JSON Lines and CSV: random bytes, NUL, lone surrogates, BOM, CRLF, quotes and separators inside
 * fields, `;` files from French Excel, bytes cut anywhere into chunks. Every case ends in a clear
 * error (a PasserellesError with a code) or in records each accepted or rejected with a reason;
 * valid records are never lost among broken ones; nothing throws anything else or hangs.
 * (The write side, one transaction per file, is fuzzed in importer.int.test.ts.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateRecord } from '../../src/contract/index.ts';
import { isPasserellesError } from '../../src/domain/errors.ts';
import type { EntityKind } from '../../src/domain/types.ts';
import { loadGeography } from '../../src/geo/geography.ts';
import { createRecordChecker } from '../../src/importer/check.ts';
import { readRecords, type ImportFormat } from '../../src/importer/records.ts';
import type { Reject } from '../../src/importer/rejects.ts';
import { anyString, fuzz } from './settings.ts';

const geography = loadGeography();

interface Outcome { accepted: Map<string, unknown>; rejects: Reject[]; error?: unknown }

/** The bytes in chunks of the given sizes (cycled), as a stream hands them over. */
async function* chunked(bytes: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length];
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

async function read(kind: EntityKind, format: ImportFormat, bytes: Uint8Array, sizes = [65_536]): Promise<Outcome> {
  const check = createRecordChecker(kind, geography, 'fuzz');
  const outcome: Outcome = { accepted: new Map(), rejects: [] };
  try {
    for await (const raw of readRecords({ kind, format, source: chunked(bytes, sizes), sourceName: 'fuzz' })) {
      const checked = check(raw);
      if (checked.ok) outcome.accepted.set(checked.record.id, checked.record);
      else outcome.rejects.push(checked.reject);
    }
  } catch (e) {
    outcome.error = e;
  }
  return outcome;
}

const encode = (text: string) => Buffer.from(text, 'utf8');
const chunkSizes = fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 5 });

/** A clear outcome: no error, or a PasserellesError with an import code and a French message. */
function expectClear(outcome: Outcome): void {
  if (outcome.error !== undefined) {
    expect(isPasserellesError(outcome.error), String(outcome.error)).toBe(true);
    expect((outcome.error as { code: string }).code).toMatch(/^import\./);
  }
  for (const reject of outcome.rejects) {
    expect(reject.reason.length).toBeGreaterThan(0);
    expect(reject.line).toBeGreaterThan(0);
  }
}

// ---------- generators of valid records ----------

/** Printable text with the characters that trouble files: quotes, both separators, `|`-free. */
const fieldText = fc.string({
  unit: fc.oneof(
    fc.constantFrom(...'abcdeéèàçœ ÉÂ\'’"";,,;-.()'.split('')),
    fc.integer({ min: 0x20, max: 0x2fff }).filter((c) => c !== 0x7c && !(c >= 0x7f && c <= 0x9f)).map((c) => String.fromCharCode(c)),
  ),
  minLength: 1, maxLength: 40,
}).filter((s) => s.trim() !== '');
const POSTAL_CODES = ['75015', '29200', '81000', '20200', '57000', '13300', '59000'];
const LEGAL_FORMS = ['association', 'scop', 'scic', 'esus', 'siae'];
const PILLARS = ['premises', 'logistics', 'skills', 'banking', 'purchasing', 'energy'];

const structure = (n: number) => fc.record({
  name: fieldText,
  legal_form: fc.constantFrom(...LEGAL_FORMS),
  description: fc.oneof(fieldText, fieldText.map((t) => `${t}\nsuite ; « fin », "citée"`)),
  needs: fc.uniqueArray(fc.constantFrom(...PILLARS), { minLength: 1, maxLength: 3 }),
  postal_code: fc.constantFrom(...POSTAL_CODES),
  volunteers: fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }),
  tags: fc.option(fc.array(fieldText, { minLength: 1, maxLength: 3 }), { nil: undefined }),
}).map((r) => {
  const out: Record<string, unknown> = { id: `fz-${n}`, ...r };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
});

/** Between 1 and 8 valid structures with distinct ids. */
const structures = fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => structure(i + 1))));

/** A line of garbage (no line break): random text, half-JSON, stray quotes, NUL, lone surrogates. */
const noiseLine = fc.oneof(
  anyString(80).map((s) => s.replace(/[\n]/g, ' ')),
  fc.constantFrom('{', '{"id": "x"', '"', 'a;"b;c', '"""', 'null', '[]', '{"id": "fz-1"}', ';;;;', '\u0000', '\ud800', '{"id":"n\\u0000"}'),
);

const COLUMNS = ['id', 'name', 'legal_form', 'description', 'needs', 'postal_code', 'volunteers', 'tags'];

function csvCell(value: unknown, delim: string): string {
  if (value === undefined) return '';
  const text = Array.isArray(value) ? value.join('|') : String(value);
  return /["\n\r]/.test(text) || text.includes(delim) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvRow = (r: Record<string, unknown>, delim: string) => COLUMNS.map((c) => csvCell(r[c], delim)).join(delim);

/** Valid records and noise lines in some order (noise never first for CSV: the header is). */
const interleaved = fc.tuple(structures, fc.array(fc.tuple(noiseLine, fc.nat()), { maxLength: 6 }));

function mix<T>(records: T[], noise: [string, number][]): (T | string)[] {
  const out: (T | string)[] = [...records];
  for (const [line, at] of noise) out.splice(at % (out.length + 1), 0, line);
  return out;
}

describe('the importer under random and hostile files', () => {
  it('ends every file of random bytes in a clear error or checked records, in both formats', async () => {
    await fc.assert(fc.asyncProperty(
      fc.oneof(fc.uint8Array({ maxLength: 600 }), anyString(400).map(encode)),
      fc.constantFrom<ImportFormat>('jsonl', 'csv'), fc.constantFrom<EntityKind>('structure', 'resource'), chunkSizes,
      async (bytes, format, kind, sizes) => { expectClear(await read(kind, format, bytes, sizes)); },
    ), fuzz(300));
  });

  it('ends a CSV file with a valid header and random rows in a clear error or checked records', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(',', ';'), fc.array(noiseLine, { maxLength: 12 }), chunkSizes,
      async (delim, rows, sizes) => {
        const text = [COLUMNS.join(delim), ...rows].join('\n');
        const outcome = await read('structure', 'csv', encode(text), sizes);
        expect(outcome.error).toBeUndefined();
        expectClear(outcome);
      },
    ), fuzz(300));
  });

  it('never loses a valid JSON line among broken ones, whatever the chunking, BOM or line ends', async () => {
    await fc.assert(fc.asyncProperty(interleaved, fc.boolean(), fc.boolean(), chunkSizes, async ([records, noise], bom, crlf, sizes) => {
      const lines = mix(records, noise).map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
      const text = `${bom ? '\uFEFF' : ''}${lines.join(crlf ? '\r\n' : '\n')}`;
      const outcome = await read('structure', 'jsonl', encode(text), sizes);
      expectClear(outcome);
      const firstLine = lines.find((l) => l.trim() !== '') ?? '';
      if (outcome.error !== undefined) {
        expect((outcome.error as { code: string }).code).toBe('import.json_array');
        expect(firstLine.trimStart().startsWith('[')).toBe(true);
        return;
      }
      for (const r of records) {
        const expected = validateRecord('structure', r);
        expect(expected.ok).toBe(true);
        // A noise line may claim a valid record's id first (« {"id": "fz-1"} »): then that record is a
        // duplicate, rejected with a reason naming the line; otherwise it comes through unchanged.
        const claimed = outcome.rejects.some((j) => j.id === r.id && j.code === 'import.duplicate_id');
        if (claimed) continue;
        expect(outcome.accepted.get(r.id as string)).toEqual(expected.ok ? expected.record : undefined);
      }
    }), fuzz(300));
  });

  it('never loses a valid CSV row among broken ones, with either separator, quotes, BOM and CRLF', async () => {
    await fc.assert(fc.asyncProperty(interleaved, fc.constantFrom(',', ';'), fc.boolean(), fc.boolean(), chunkSizes,
      async ([records, noise], delim, bom, crlf, sizes) => {
        const rows = mix(records, noise).map((x) => (typeof x === 'string' ? x : csvRow(x, delim)));
        const text = `${bom ? '\uFEFF' : ''}${[COLUMNS.join(delim), ...rows].join(crlf ? '\r\n' : '\n')}`;
        const outcome = await read('structure', 'csv', encode(text), sizes);
        expect(outcome.error).toBeUndefined();
        expectClear(outcome);
        for (const r of records) {
          const expected = validateRecord('structure', r);
          const claimed = outcome.rejects.some((j) => j.id === r.id && j.code === 'import.duplicate_id');
          if (claimed) continue;
          expect(outcome.accepted.get(r.id as string), `${r.id} in\n${text}`).toEqual(expected.ok ? expected.record : undefined);
        }
      }), fuzz(300));
  });

  it('rejects only the record holding a NUL or a lone surrogate, naming its line and field', async () => {
    const bad = fc.constantFrom('\u0000', '\ud800', '\udfff');
    await fc.assert(fc.asyncProperty(structures, fc.nat(), bad, fc.constantFrom<ImportFormat>('jsonl', 'csv'), async (records, which, char, format) => {
      const target = which % records.length;
      const poisoned = records.map((r, i) => (i === target ? { ...r, name: `${String(r.name)}${char}` } : r));
      const text = format === 'jsonl'
        ? poisoned.map((r) => JSON.stringify(r)).join('\n')
        : [COLUMNS.join(';'), ...poisoned.map((r) => csvRow(r, ';'))].join('\n');
      // A lone surrogate cannot be written as UTF-8 (it becomes U+FFFD); JSON escapes it as \ud800.
      const outcome = await read('structure', format, encode(text));
      expect(outcome.error).toBeUndefined();
      const line = format === 'jsonl' ? target + 1 : undefined;
      if (format === 'jsonl' || char === '\u0000') {
        expect(outcome.rejects).toHaveLength(1);
        expect(outcome.rejects[0]).toMatchObject({ code: 'import.bad_text', field: 'name', ...(line ? { line } : {}) });
        expect(outcome.accepted.size).toBe(records.length - 1);
      } else {
        expect(outcome.accepted.size).toBe(records.length);
      }
    }), fuzz(150));
  });

  it('stops a file in Windows-1252 with a clear error naming the line, not with mangled records', async () => {
    await fc.assert(fc.asyncProperty(structures, async (records) => {
      const lines = records.map((r) => JSON.stringify({ ...r, name: `Économie ${String(r.name)}` }));
      const outcome = await read('structure', 'jsonl', Buffer.from(lines.join('\n'), 'latin1'));
      expect(outcome.error).toMatchObject({ code: 'import.not_utf8' });
      expect((outcome.error as Error).message).toMatch(/ligne 1\b/);
    }), fuzz(50));
  });

  it('rejects a line over the limit and keeps the records around it', async () => {
    const huge = JSON.stringify({ id: 'fz-huge', name: 'x'.repeat(5 * 1024 * 1024) });
    const ok = (n: number) => JSON.stringify({ id: `fz-${n}`, name: 'Un nom', legal_form: 'scop', description: 'Une description', needs: ['skills'], postal_code: '75015' });
    for (const format of ['jsonl', 'csv'] as const) {
      const text = format === 'jsonl'
        ? [ok(1), huge, ok(2)].join('\n')
        : [COLUMNS.join(';'), 'fz-1;Un nom;scop;Une description;skills;75015;;', `fz-huge;${'x'.repeat(5 * 1024 * 1024)};scop;d;skills;75015;;`, 'fz-2;Un nom;scop;Une description;skills;75015;;'].join('\n');
      const outcome = await read('structure', format, encode(text));
      expect(outcome.error).toBeUndefined();
      expect([...outcome.accepted.keys()]).toEqual(['fz-1', 'fz-2']);
      expect(outcome.rejects).toMatchObject([{ code: 'import.line_too_long', field: 'name' }]);
    }
  });
});
