/**
 * A small RFC 4180 CSV reader over numbered lines: quoted fields may hold the delimiter, doubled
 * quotes and line breaks; each record carries the line it starts on and its raw text.
 *
 * Beyond the RFC, for files from French spreadsheets: the delimiter is `;` when the header has more
 * semicolons than commas, and blank lines between records are skipped. A quote that is never
 * closed is fatal (the rest of the file cannot be cut into records); text after a closing quote
 * makes that one record malformed.
 */
import { importErrors } from './errors.ts';
import { isBlank, type Line } from './lines.ts';

export interface CsvRecord {
  /** Line where the record starts (1 = header). */
  line: number;
  cells: string[];
  /** The record as written, its lines joined by `\n`. */
  raw: string;
  /** Set when the record is malformed; its cells are then not to be trusted. */
  error?: string;
}

export type Delimiter = ',' | ';';

export interface CsvOptions {
  sourceName: string;
  /** A quoted field longer than this is taken for an unclosed quote (default 4 MiB of text). */
  maxRecordChars?: number;
}

const QUOTE = 0x22;

/** `;` when the header line has more semicolons than commas (French spreadsheets), else `,`. */
export function detectDelimiter(header: string): Delimiter {
  const count = (c: string) => header.split(c).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

interface State {
  cells: string[];
  field: string;
  inQuotes: boolean;
  error?: string;
}

const freshState = (): State => ({ cells: [], field: '', inQuotes: false });

/** Reads the rest of a field after its closing quote, up to the delimiter; returns the next index. */
function afterClosingQuote(s: State, text: string, from: number, delim: string): number {
  const next = text.indexOf(delim, from);
  const end = next === -1 ? text.length : next;
  const trailing = text.slice(from, end);
  if (trailing.trim() !== '') {
    s.error ??= `texte « ${trailing.trim().slice(0, 30)} » après un guillemet fermant (cellule ${s.cells.length + 1})`;
    s.field += trailing;
  }
  s.cells.push(s.field);
  s.field = '';
  return next;
}

/** Feeds one physical line into the record being read; true when the record is complete. */
export function feedLine(s: State, text: string, delim: Delimiter): boolean {
  let i = 0;
  for (;;) {
    if (s.inQuotes) {
      const q = text.indexOf('"', i);
      if (q === -1) {
        s.field += `${text.slice(i)}\n`;
        return false;
      }
      s.field += text.slice(i, q);
      if (text.charCodeAt(q + 1) === QUOTE) {
        s.field += '"';
        i = q + 2;
        continue;
      }
      s.inQuotes = false;
      const next = afterClosingQuote(s, text, q + 1, delim);
      if (next === -1) return true;
      i = next + 1;
    } else if (text.charCodeAt(i) === QUOTE) {
      s.inQuotes = true;
      i += 1;
    } else {
      const next = text.indexOf(delim, i);
      s.cells.push(text.slice(i, next === -1 ? text.length : next));
      if (next === -1) return true;
      i = next + 1;
    }
  }
}

/** Records of a CSV file, header first; the delimiter is chosen from the header line. */
export async function* readCsvRecords(lines: AsyncIterable<Line>, options: CsvOptions): AsyncGenerator<CsvRecord> {
  const maxChars = options.maxRecordChars ?? 4 * 1024 * 1024;
  let delim: Delimiter | undefined;
  let state = freshState();
  let raw: string[] = [];
  let start = 0;
  let chars = 0;
  for await (const { line, text } of lines) {
    if (raw.length === 0) {
      if (isBlank(text)) continue;
      delim ??= detectDelimiter(text);
      start = line;
      chars = 0;
    }
    raw.push(text);
    chars += text.length;
    if (chars > maxChars) throw importErrors.unclosedQuote(options.sourceName, start);
    if (!feedLine(state, text, delim!)) continue;
    yield { line: start, cells: state.cells, raw: raw.join('\n'), ...(state.error ? { error: state.error } : {}) };
    state = freshState();
    raw = [];
  }
  if (raw.length > 0) throw importErrors.unclosedQuote(options.sourceName, start);
}
