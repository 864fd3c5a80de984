/**
 * From a byte stream to raw records, one per JSON line or CSV row, each with its line number,
 * its raw text and the object read from it (not validated yet). Problems of a single record
 * (malformed JSON, a CSV row of the wrong width, a cell that is not a number) travel with it as
 * field errors; problems of the whole file (not UTF-8, no CSV header) are thrown.
 */
import { csvRowToObject, requiredColumns, type FieldError } from '../contract/index.ts';
import type { EntityKind } from '../domain/types.ts';
import { readCsvRecords, type CsvRecord } from './csv.ts';
import { importErrors } from './errors.ts';
import { isBlank, readLines, type Line } from './lines.ts';

export type ImportFormat = 'jsonl' | 'csv';

export interface RawRecord {
  line: number;
  raw: string;
  /** The object read; absent when the text could not be read at all (invalid JSON, broken CSV row). */
  value?: unknown;
  /** Errors found while reading (they are added to the validation errors). */
  errors: FieldError[];
}

export interface ReadRecordsInput {
  kind: EntityKind;
  format: ImportFormat;
  source: AsyncIterable<Uint8Array | string>;
  sourceName: string;
}

export function readRecords(input: ReadRecordsInput): AsyncGenerator<RawRecord> {
  const lines = readLines(input.source, { sourceName: input.sourceName });
  return input.format === 'csv'
    ? readCsvRows(input.kind, lines, input.sourceName)
    : readJsonLines(lines, input.sourceName);
}

/** French reason for a JSON.parse failure, keeping the parser's own words as a detail. */
export function jsonErrorReason(error: Error): string {
  const message = error.message;
  if (/Unexpected end of JSON input/i.test(message)) return 'JSON invalide : la ligne s’arrête avant la fin de l’objet';
  const position = /at position (\d+)/.exec(message);
  const where = position ? ` vers le caractère ${Number(position[1]) + 1}` : '';
  const detail = message.replace(/\s*in JSON at position \d+.*$/s, '').replace(/\s*\(line \d+ column \d+\)$/, '');
  return `JSON invalide${where} (${detail})`;
}

/** The field whose value a cut JSON line stops in: the last `"name":` before the cut. */
function fieldCutIn(prefix: string): string | undefined {
  let field: string | undefined;
  for (const m of prefix.matchAll(/"([^"\\]{1,100})"\s*:/g)) field = m[1];
  return field;
}

const clipped = (text: string) => (text.length > 500 ? `${text.slice(0, 500)}…` : text);

const tooLongReason = (line: number, tooLong: NonNullable<Line['tooLong']>) =>
  `ligne ${line} de ${tooLong.bytes} octets, au-delà de la limite de ${tooLong.max / 1024 / 1024} Mio par ligne : `
  + 'enregistrement rejeté, le fichier continue';

async function* readJsonLines(lines: AsyncIterable<Line>, sourceName: string): AsyncGenerator<RawRecord> {
  let first = true;
  for await (const { line, text, tooLong } of lines) {
    if (tooLong) {
      first = false;
      const field = fieldCutIn(text);
      yield { line, raw: clipped(text), errors: [{ code: 'import.line_too_long', ...(field ? { field } : {}), reason: tooLongReason(line, tooLong) }] };
      continue;
    }
    if (isBlank(text)) continue;
    if (first && text.trimStart().startsWith('[')) throw importErrors.jsonArray(sourceName, line);
    first = false;
    try {
      yield { line, raw: text, value: JSON.parse(text), errors: [] };
    } catch (e) {
      yield { line, raw: text, errors: [{ code: 'import.invalid_json', reason: jsonErrorReason(e as Error) }] };
    }
  }
}

/** Column names of the header; throws when the header cannot describe records of this kind. */
export function checkHeader(kind: EntityKind, header: CsvRecord, sourceName: string): string[] {
  if (header.error) throw importErrors.badHeader(sourceName, header.error);
  const names = header.cells.map((c, i) => c.trim() || `colonne_${i + 1}`);
  const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
  if (duplicates.length > 0) throw importErrors.badHeader(sourceName, `colonne(s) en double : ${[...new Set(duplicates)].join(', ')}`);
  const missing = requiredColumns(kind).filter((c) => !names.includes(c));
  if (missing.length > 0) throw importErrors.badHeader(sourceName, `colonne(s) obligatoire(s) absente(s) : ${missing.join(', ')}`);
  return names;
}

async function* readCsvRows(kind: EntityKind, lines: AsyncIterable<Line>, sourceName: string): AsyncGenerator<RawRecord> {
  let header: string[] | undefined;
  for await (const record of readCsvRecords(lines, { sourceName })) {
    if (!header) {
      header = checkHeader(kind, record, sourceName);
      continue;
    }
    if (record.cells.every((c) => c.trim() === '') && !record.error) continue; // « ;;;; » rows of spreadsheets
    yield csvRow(kind, header, record);
  }
}

function csvRow(kind: EntityKind, header: string[], record: CsvRecord): RawRecord {
  const { line, raw } = record;
  if (record.field !== undefined) {
    return { line, raw, errors: [{ code: 'import.line_too_long', field: header[record.field] ?? `colonne_${record.field + 1}`, reason: record.error ?? '' }] };
  }
  if (record.error) return { line, raw, errors: [{ code: 'import.bad_csv', reason: `ligne CSV mal formée : ${record.error}` }] };
  if (record.cells.length !== header.length) {
    const reason = `${record.cells.length} cellule(s) pour ${header.length} colonnes dans l’en-tête `
      + '(séparateur dans un texte sans guillemets ?)';
    return { line, raw, errors: [{ code: 'import.bad_csv', reason }] };
  }
  const { value, errors } = csvRowToObject(kind, header, record.cells);
  return { line, raw, value, errors };
}
