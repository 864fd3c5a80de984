/**
 * The data contract without a database: validation of every field rule with its French reason,
 * CSV rows, and the readers (lines, CSV records) the importer is built on.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson, contentHash, contractFields, csvRowToObject, recordJsonSchema, validateResource, validateStructure,
  type FieldError,
} from '../src/contract/index.ts';
import { readCsvRecords, readLines, type CsvRecord, type Line } from '../src/importer/index.ts';
import { readRecords } from '../src/importer/records.ts';

const devLines = (file: string) => readFileSync(new URL(`fixtures/dev/${file}`, import.meta.url), 'utf8')
  .split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
const structure = devLines('structures.jsonl')[0];
const resource = devLines('resources.jsonl')[0];

function errorsOf(v: { ok: true } | { ok: false; errors: FieldError[] }): FieldError[] {
  if (v.ok) throw new Error('expected the record to be rejected');
  return v.errors;
}
const only = (v: Parameters<typeof errorsOf>[0]) => {
  const errors = errorsOf(v);
  expect(errors).toHaveLength(1);
  return errors[0];
};

describe('validation of a structure', () => {
  it('accepts every structure of the dev set', () => {
    for (const s of devLines('structures.jsonl')) expect(validateStructure(s).ok).toBe(true);
  });

  it('trims strings and keeps unknown fields in extra without rejecting them', () => {
    const v = validateStructure({ ...structure, name: '  A Manu Tesa ', siret: '123', extra: { source: 'crm' } });
    expect(v.ok && v.record.name).toBe('A Manu Tesa');
    expect(v.ok && v.record.extra).toEqual({ siret: '123', source: 'crm' });
  });

  it('rejects a missing or empty required field naming it', () => {
    const { name: _, ...withoutName } = structure;
    expect(only(validateStructure(withoutName))).toMatchObject({ field: 'name', code: 'import.missing_field' });
    expect(only(validateStructure({ ...structure, description: '   ' }))).toMatchObject({ field: 'description', code: 'import.missing_field' });
    expect(only(validateStructure({ ...structure, needs: [] }))).toMatchObject({ field: 'needs', code: 'import.missing_field' });
  });

  it('rejects an unknown legal form listing the allowed values in French', () => {
    const e = only(validateStructure({ ...structure, legal_form: 'asso' }));
    expect(e).toMatchObject({ field: 'legal_form', code: 'import.bad_enum' });
    expect(e.reason).toBe('valeur inconnue « asso » ; attendu : association, scop, scic, cooperative, mutuelle, fondation, esus, siae, esat, ea');
  });

  it('names the position of an unknown pillar inside the needs list', () => {
    const e = only(validateStructure({ ...structure, needs: ['premises', 'lieux'] }));
    expect(e).toMatchObject({ field: 'needs', code: 'import.bad_enum' });
    expect(e.reason).toContain('élément 2');
  });

  it('rejects a postal code that is not five digits, hinting at a lost leading zero', () => {
    expect(only(validateStructure({ ...structure, postal_code: '1000' })).reason).toContain('zéro initial perdu');
    expect(only(validateStructure({ ...structure, postal_code: '2A004' })).code).toBe('import.bad_postal_code');
    expect(only(validateStructure({ ...structure, postal_code: 20200 }))).toMatchObject({ field: 'postal_code', code: 'import.bad_postal_code' });
  });

  it('rejects negative counts and amounts, zero surfaces and fractional headcounts', () => {
    expect(only(validateStructure({ ...structure, employees: -1 }))).toMatchObject({ field: 'employees', code: 'import.negative_number' });
    expect(only(validateStructure({ ...structure, budget_eur: -10 }))).toMatchObject({ field: 'budget_eur', code: 'import.negative_number' });
    expect(only(validateStructure({ ...structure, surface_needed_m2: 0 }))).toMatchObject({ code: 'import.not_positive' });
    expect(only(validateStructure({ ...structure, volunteers: 2.5 }))).toMatchObject({ field: 'volunteers', code: 'import.not_integer' });
    expect(validateStructure({ ...structure, employees: 0, budget_eur: 0 }).ok).toBe(true);
  });

  it('rejects values of the wrong JSON type with what was received', () => {
    const e = only(validateStructure({ ...structure, tags: 'insertion' }));
    expect(e).toMatchObject({ field: 'tags', code: 'import.bad_type' });
    expect(e.reason).toBe('liste attendue, reçu le texte « insertion »');
    expect(only(validateStructure({ ...structure, id: 42 }))).toMatchObject({ field: 'id', code: 'import.bad_type' });
  });

  it('treats null and empty optional values as absent', () => {
    const v = validateStructure({ ...structure, need_text: '', employees: null, tags: [' ', ''] });
    expect(v.ok).toBe(true);
    expect(v.ok && ['need_text', 'employees', 'tags'].filter((k) => k in v.record)).toEqual([]);
  });

  it('lists every error of a record at once', () => {
    const errors = errorsOf(validateStructure({ id: 'x', legal_form: 'sarl', needs: ['premises'], postal_code: '123', employees: -2 }));
    expect(errors.map((e) => e.field)).toEqual(['name', 'legal_form', 'description', 'postal_code', 'employees']);
  });

  it('rejects a value that is not an object', () => {
    expect(only(validateStructure([1, 2]))).toMatchObject({ code: 'import.not_an_object' });
  });
});

describe('validation of a resource', () => {
  it('accepts every resource of the dev set and defaults the scope to local', () => {
    for (const r of devLines('resources.jsonl')) expect(validateResource(r).ok).toBe(true);
    const { scope: _, ...noScope } = resource;
    const v = validateResource(noScope);
    expect(v.ok && v.record.scope).toBe('local');
  });

  it('rejects unknown pillar, scope and eligible legal form values', () => {
    expect(only(validateResource({ ...resource, pillar: 'lieux' }))).toMatchObject({ field: 'pillar', code: 'import.bad_enum' });
    expect(only(validateResource({ ...resource, scope: 'europe' }))).toMatchObject({ field: 'scope', code: 'import.bad_enum' });
    expect(only(validateResource({ ...resource, eligible_legal_forms: ['siae', 'sarl'] }))).toMatchObject({ field: 'eligible_legal_forms' });
  });

  it('rejects dates that do not exist or are not written YYYY-MM-DD', () => {
    expect(only(validateResource({ ...resource, available_from: '2026-02-30' }))).toMatchObject({ field: 'available_from', code: 'import.bad_date' });
    expect(only(validateResource({ ...resource, available_until: '30/06/2028' })).reason).toContain('AAAA-MM-JJ');
  });

  it('rejects an availability that ends before it starts, on available_until', () => {
    const e = only(validateResource({ ...resource, available_from: '2027-01-01', available_until: '2026-12-31' }));
    expect(e).toMatchObject({ field: 'available_until', code: 'import.bad_date_range' });
    expect(e.reason).toContain('2026-12-31');
    expect(validateResource({ ...resource, available_from: '2027-01-01', available_until: '2027-01-01' }).ok).toBe(true);
  });

  it('rejects a maximum amount below the minimum, alongside the other errors', () => {
    const errors = errorsOf(validateResource({ ...resource, radius_km: -3, amount_min_eur: 500, amount_max_eur: 100 }));
    expect(errors.map((e) => [e.field, e.code])).toEqual([
      ['radius_km', 'import.negative_number'], ['amount_max_eur', 'import.bad_range'],
    ]);
  });

  it('rejects a boolean written as text', () => {
    expect(only(validateResource({ ...resource, accessible_pmr: 'oui' }))).toMatchObject({ field: 'accessible_pmr', code: 'import.bad_type' });
  });
});

describe('contract description', () => {
  it('reads the required fields of each kind from the schemas', () => {
    const required = (kind: 'structure' | 'resource') => contractFields(kind).filter((f) => f.required).map((f) => f.name);
    expect(required('structure')).toEqual(['id', 'name', 'legal_form', 'description', 'needs', 'postal_code']);
    expect(required('resource')).toEqual(['id', 'pillar', 'title', 'description', 'postal_code']);
  });

  it('exports a JSON Schema that allows unknown fields and lists the enums', () => {
    const schema = recordJsonSchema('structure') as { required: string[]; additionalProperties: unknown; properties: Record<string, { enum?: string[] }> };
    expect(schema.required).toContain('legal_form');
    expect(schema.properties.legal_form.enum).toContain('esat');
    expect(schema.additionalProperties).not.toBe(false);
  });

  it('hashes a record the same whatever the order of its keys', () => {
    const place = { postalCode: '20200', inseeCode: '2B033', commune: 'Bastia', department: '2B', region: '94', lat: 42.7, lon: 9.45 };
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 0 }] } })).toBe('{"a":{"c":[3,{"e":0,"f":1}],"d":2},"b":1}');
    expect(contentHash({ id: 'x', name: 'y' }, place)).toBe(contentHash({ name: 'y', id: 'x' }, place));
    expect(contentHash({ id: 'x', name: 'y' }, place)).not.toBe(contentHash({ id: 'x', name: 'z' }, place));
  });
});

describe('contract v1.1: requires_step_free_access', () => {
  it('accepts a structure that states step-free access as required or not, and one that says nothing', () => {
    for (const value of [true, false]) {
      const v = validateStructure({ ...structure, requires_step_free_access: value });
      expect(v.ok && v.record.requires_step_free_access).toBe(value);
    }
    const v1 = validateStructure(structure);
    expect(v1.ok && 'requires_step_free_access' in v1.record).toBe(false);
  });

  it('rejects a requirement that is not a boolean, naming the field', () => {
    expect(only(validateStructure({ ...structure, requires_step_free_access: 'oui' }))).toMatchObject({ field: 'requires_step_free_access' });
  });

  it('lists the field as an optional boolean column of a structure CSV', () => {
    expect(contractFields('structure')).toContainEqual({ name: 'requires_step_free_access', required: false, cell: 'boolean' });
    expect(csvRowToObject('structure', ['requires_step_free_access'], ['VRAI']).value).toEqual({ requires_step_free_access: true });
  });

  it('describes the field in the JSON Schema the API publishes', () => {
    const schema = recordJsonSchema('structure') as { properties: Record<string, { type?: string }> };
    expect(schema.properties.requires_step_free_access.type).toBe('boolean');
  });
});

describe('CSV rows', () => {
  const header = ['id', 'needs', 'employees', 'budget_eur', 'surface_needed_m2', 'note'];

  it('splits lists on |, parses numbers and keeps unknown columns as text', () => {
    const { value, errors } = csvRowToObject('structure', header, ['s1', 'premises| logistics|', '12', '95 000', '12,5', 'à rappeler']);
    expect(errors).toEqual([]);
    expect(value).toEqual({ id: 's1', needs: ['premises', 'logistics'], employees: 12, budget_eur: 95000, surface_needed_m2: 12.5, note: 'à rappeler' });
  });

  it('treats an empty cell as an absent field', () => {
    expect(csvRowToObject('structure', header, ['s1', '', '', ' ', '', '']).value).toEqual({ id: 's1' });
  });

  it('reports a non-numeric cell as an error on its field', () => {
    const { errors } = csvRowToObject('structure', header, ['s1', 'premises', 'douze', '', '', '']);
    expect(errors).toEqual([{ field: 'employees', code: 'import.bad_type', reason: 'nombre attendu, reçu « douze »' }]);
  });

  it('reads booleans written true or false in any case, and rejects others', () => {
    const read = (cell: string) => csvRowToObject('resource', ['accessible_pmr'], [cell]);
    expect(read('true').value).toEqual({ accessible_pmr: true });
    expect(read('FALSE').value).toEqual({ accessible_pmr: false });
    expect(read('oui').errors[0]).toMatchObject({ field: 'accessible_pmr', code: 'import.bad_type' });
  });

  it('reads the French names of the pillars as their codes, in any case and with or without accents', () => {
    const needs = (cell: string) => csvRowToObject('structure', ['needs'], [cell]).value.needs;
    expect(needs('Lieux partagés | LOGISTIQUE|mobilites et competences')).toEqual(['premises', 'logistics', 'skills']);
    expect(needs('Produits bancaires|Achats responsables|Transition énergétique|energy')).toEqual(['banking', 'purchasing', 'energy', 'energy']);
    expect(csvRowToObject('resource', ['pillar'], ['Mobilités & compétences']).value).toEqual({ pillar: 'skills' });
    // a name that is no pillar stays as written: the contract refuses it, naming the codes
    const unknown = csvRowToObject('structure', ['needs'], ['Lieux|premises']).value;
    expect(unknown.needs).toEqual(['Lieux', 'premises']);
    expect(validateStructure({ ...structure, needs: unknown.needs }).ok).toBe(false);
  });
});

async function* chunks(...parts: (string | Uint8Array)[]) {
  for (const p of parts) yield typeof p === 'string' ? Buffer.from(p) : p;
}
async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
const lines = (...parts: (string | Uint8Array)[]) => collect(readLines(chunks(...parts), { sourceName: 'f.jsonl' }));

describe('reading lines', () => {
  it('numbers lines, strips the BOM and the CR of CRLF line ends', async () => {
    expect(await lines('\uFEFFa\r\n', '\r\nb\r', '\nc')).toEqual([
      { line: 1, text: 'a' }, { line: 2, text: '' }, { line: 3, text: 'b' }, { line: 4, text: 'c' },
    ]);
  });

  it('decodes a multi-byte character cut across two chunks', async () => {
    const bytes = Buffer.from('née\n');
    expect(await lines(bytes.subarray(0, 2), bytes.subarray(2))).toEqual([{ line: 1, text: 'née' }]);
  });

  it('stops with the line number on bytes that are not UTF-8', async () => {
    await expect(lines('ok\n', Buffer.from([0x4d, 0xe9, 0x74, 0x7a, 0x0a]))).rejects.toMatchObject({
      code: 'import.not_utf8', message: expect.stringContaining('ligne 2'),
    });
  });

  it('diagnoses binary garbage as not text, and Latin-1 text as Windows-1252', async () => {
    const garbage = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 97 + 13) % 256).filter((b) => b !== 0x0a));
    await expect(lines(garbage)).rejects.toMatchObject({ code: 'import.not_utf8', message: expect.stringContaining('pas être du texte') });
    await expect(lines(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0x00]))).rejects.toMatchObject({ message: expect.stringContaining('archive zip') });
    await expect(lines(Buffer.from('Mét;Sécurité;Énergie\n', 'latin1'))).rejects.toMatchObject({ message: expect.stringContaining('Windows-1252') });
  });

  it('cuts a line longer than the limit, marks it too long and reads the next lines', async () => {
    const read = await collect(readLines(chunks('x'.repeat(100), 'y'.repeat(100), '\nok\n', 'z'.repeat(300)), { sourceName: 'f', maxLineBytes: 150 }));
    expect(read.map((l) => [l.line, l.text.length, l.tooLong?.bytes])).toEqual([[1, 150, 200], [2, 2, undefined], [3, 150, 300]]);
  });
});

const csv = async (text: string) => collect(readCsvRecords(
  (async function* () { yield* await lines(text); })() as AsyncIterable<Line>, { sourceName: 'f.csv' },
));
const cellsOf = (records: CsvRecord[]) => records.map((r) => [r.line, r.cells]);

describe('reading CSV records', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, numbering each record by its first line', async () => {
    const records = await csv('id,description,tags\n1,"a, b","x"\n2,"il dit ""oui""\nsur deux lignes",y|z\n3,c,\n');
    expect(cellsOf(records)).toEqual([
      [1, ['id', 'description', 'tags']], [2, ['1', 'a, b', 'x']],
      [3, ['2', 'il dit "oui"\nsur deux lignes', 'y|z']], [5, ['3', 'c', '']],
    ]);
  });

  it('skips blank lines between records but keeps them inside quotes', async () => {
    expect(cellsOf(await csv('a,b\r\n\r\n1,"x\r\n\r\ny"\r\n'))).toEqual([[1, ['a', 'b']], [3, ['1', 'x\n\ny']]]);
  });

  it('uses semicolons when the header has more of them than commas', async () => {
    expect(cellsOf(await csv('id;description\n1;"a; b, c"\n'))).toEqual([[1, ['id', 'description']], [2, ['1', 'a; b, c']]]);
  });

  it('marks a record with text after a closing quote as malformed', async () => {
    const [, bad] = await csv('a,b\n"x"y,2\n');
    expect(bad.error).toContain('après un guillemet fermant');
  });

  it('rejects the line of a quote never closed and reads the lines after it again', async () => {
    const records = await csv('a,b\n1,2\n3,"jamais fermé\n4,5\n6,7\n');
    expect(records.map((r) => [r.line, r.cells, r.error !== undefined])).toEqual([
      [1, ['a', 'b'], false], [2, ['1', '2'], false], [3, [], true], [4, ['4', '5'], false], [5, ['6', '7'], false],
    ]);
    expect(records[2].error).toMatch(/ligne 3 jamais refermé.*lignes 4 à 5 sont relues/);
  });

  it('resynchronises after a stray quote closed by a later record, naming the lines it spanned', async () => {
    const records = await csv('id,description\n1,"ok"\n2,"il a dit bonjour\n3,"x"\n4,"y, z"\n');
    expect(records.map((r) => [r.line, r.cells])).toEqual([
      [1, ['id', 'description']], [2, ['1', 'ok']], [3, []], [4, ['3', 'x']], [5, ['4', 'y, z']],
    ]);
    expect(records[2].error).toMatch(/guillemet ouvert ligne 3 et refermé seulement ligne 4/);
  });

  it('resynchronises after a stray quote whose swallowed lines read as well-formed records by themselves', async () => {
    // Line 2 is a lone quote: read from it, lines 2–4 make one record of the right width (first cell
    // « \n1; »), but lines 3–4 are a record of their own: the stray quote is the likelier reading.
    const records = await csv('id;name;description;tag\n"\n1;"; ";"deux\nlignes";x\n2;b;"c";y\n');
    expect(records.map((r) => [r.line, r.cells])).toEqual([
      [1, ['id', 'name', 'description', 'tag']], [2, []], [3, ['1', '; ', 'deux\nlignes', 'x']], [5, ['2', 'b', 'c', 'y']],
    ]);
    expect(records[1].error).toMatch(/guillemet ouvert ligne 2/);
  });

  it('rejects a record over the line limit naming the column it stops in, and goes on', async () => {
    const text = `a,b,c\n1,${'x'.repeat(300)},3\n4,5,6\n`;
    const lineStream = readLines(chunks(text), { sourceName: 'f', maxLineBytes: 100 });
    const records = await collect(readCsvRecords(lineStream, { sourceName: 'f.csv' }));
    expect(records.map((r) => [r.line, r.field, r.cells])).toEqual([[1, undefined, ['a', 'b', 'c']], [2, 1, []], [3, undefined, ['4', '5', '6']]]);
  });
});

describe('reading records of a file', () => {
  const read = (format: 'jsonl' | 'csv', text: string) =>
    collect(readRecords({ kind: 'structure', format, source: chunks(text), sourceName: 'f' }));

  it('turns a malformed JSON line into an error on that line and goes on', async () => {
    const records = await read('jsonl', '{"id": "a"}\n{"id": "b",\n\n{"id": "c"}\n');
    expect(records.map((r) => [r.line, r.errors.map((e) => e.code)])).toEqual([
      [1, []], [2, ['import.invalid_json']], [4, []],
    ]);
  });

  it('stops on a JSON array, which is not JSON Lines', async () => {
    await expect(read('jsonl', '[\n{"id": "a"}\n]\n')).rejects.toMatchObject({ code: 'import.json_array' });
  });

  it('stops on a CSV header that lacks a required column', async () => {
    await expect(read('csv', 'id,name\ns1,A\n')).rejects.toMatchObject({
      code: 'import.bad_header', message: expect.stringContaining('legal_form, description, needs, postal_code'),
    });
  });

  it('rejects a CSV row whose width differs from the header', async () => {
    const [row] = await read('csv', 'id,name,legal_form,description,needs,postal_code\ns1,A,scop,d,premises,20200,extra\n');
    expect(row.errors[0]).toMatchObject({ code: 'import.bad_csv' });
    expect(row.errors[0].reason).toContain('7 cellule(s) pour 6 colonnes');
  });
});

describe('a field called __proto__', () => {
  const line = (extra: string) => JSON.parse(`{"__proto__":{"polluted":"oui"},${extra}${JSON.stringify(devLines('structures.jsonl')[0]).slice(1)}`) as unknown;

  it('is kept in extra like any unknown field, as an own property, without touching any prototype', () => {
    const result = validateStructure(line(''));
    expect(result.ok).toBe(true);
    const extra = (result as { record: { extra: Record<string, unknown> } }).record.extra;
    expect(Object.getOwnPropertyDescriptor(extra, '__proto__')?.value).toEqual({ polluted: 'oui' });
    expect(Object.getPrototypeOf(extra)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('counts in the content hash and the canonical JSON', () => {
    const record = JSON.parse('{"id":"x","__proto__":{"a":1}}') as object;
    expect(canonicalJson(record)).toBe('{"__proto__":{"a":1},"id":"x"}');
  });

  it('is kept from a CSV column of that name', () => {
    const { value } = csvRowToObject('structure', ['id', '__proto__'], ['x', 'oui']);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toBe('oui');
  });
});
