/**
 * A small RFC 4180 CSV reader over numbered lines: quoted fields may hold the delimiter, doubled
 * quotes and line breaks; each record carries the line it starts on and its raw text.
 *
 * Beyond the RFC, for files from French spreadsheets: the delimiter is `;` when the header has more
 * semicolons than commas, and blank lines between records are skipped. A stray quote rejects the
 * record it opens in and the lines it swallowed are read again (see readCsvRecords); text after a
 * closing quote makes that one record malformed.
 */
import { isBlank, type Line } from './lines.ts';

export interface CsvRecord {
  /** Line where the record starts (1 = header). */
  line: number;
  cells: string[];
  /** The record as written, its lines joined by `\n`. */
  raw: string;
  /** Set when the record is malformed; its cells are then not to be trusted. */
  error?: string;
  /** Index of the cell at fault, when known (a field over the line limit). */
  field?: number;
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
  /** An unquoted cell held a quote (tolerated, but a sign of a quoted field cut in two). */
  loose?: boolean;
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
      const cell = text.slice(i, next === -1 ? text.length : next);
      if (cell.includes('"')) s.loose = true;
      s.cells.push(cell);
      if (next === -1) return true;
      i = next + 1;
    }
  }
}

/** A record that cannot be trusted, cut short to its first line (its raw text for the reject). */
const brokenRecord = (first: Line, error: string, field?: number): CsvRecord =>
  ({ line: first.line, cells: [], raw: clip(first.text), error, ...(field === undefined ? {} : { field }) });

const clip = (text: string) => (text.length > 500 ? `${text.slice(0, 500)}…` : text);

/** Index of the cell a cut line stops in (the field that is too long). */
function cellCutIn(text: string, delim: Delimiter): number {
  const s = freshState();
  return feedLine(s, text, delim) ? s.cells.length - 1 : s.cells.length;
}

/**
 * True when the lines, read on their own, are whole records of `width` cells without error (nor
 * a quote in an unquoted cell) that end with the last line.
 */
function wholeRecords(lines: readonly Line[], delim: Delimiter, width: number): boolean {
  let s = freshState();
  let complete = false;
  for (const { text } of lines) {
    if (!s.inQuotes && s.cells.length === 0 && isBlank(text)) continue;
    complete = feedLine(s, text, delim);
    if (!complete) continue;
    if (s.error !== undefined || s.loose || s.cells.length !== width) return false;
    s = freshState();
  }
  return complete;
}

/** True when some of the lines after the first read as whole records by themselves, up to the last. */
const swallowsRecords = (held: readonly Line[], delim: Delimiter, width: number): boolean =>
  held.some((_, j) => j > 0 && wholeRecords(held.slice(j), delim, width));

/**
 * Records of a CSV file, header first; the delimiter is chosen from the header line.
 *
 * Resynchronisation: a record that runs over several lines and comes out broken (a quote closed
 * far below, or never; the wrong number of cells; over `maxRecordChars`), or whose last lines are
 * whole records by themselves (a stray quote that happened to pair up with a later one), is
 * taken for a stray quote: its first line is rejected, saying which lines the quote swallowed,
 * and the lines after it are read again as records of their own, so no valid record disappears
 * inside the reject.
 */
export async function* readCsvRecords(lines: AsyncIterable<Line>, options: CsvOptions): AsyncGenerator<CsvRecord> {
  const maxChars = options.maxRecordChars ?? 4 * 1024 * 1024;
  const source = lines[Symbol.asyncIterator]();
  const again: Line[] = [];
  const next = async (): Promise<Line | undefined> => {
    if (again.length > 0) return again.shift();
    const r = await source.next();
    return r.done ? undefined : r.value;
  };
  let delim: Delimiter | undefined;
  let width: number | undefined;
  let state = freshState();
  let held: Line[] = [];
  let chars = 0;
  const restart = () => { state = freshState(); held = []; chars = 0; };
  /** Rejects the first held line and reads the others again. */
  const resync = (why: string): CsvRecord => {
    const [first, ...rest] = held;
    const last = held[held.length - 1].line;
    again.unshift(...rest);
    restart();
    return brokenRecord(first, `guillemet ouvert ligne ${first.line} ${why} : cet enregistrement est rejeté `
      + `et les lignes ${first.line + 1} à ${last} sont relues comme des enregistrements à part`);
  };

  for (;;) {
    const current = await next();
    if (current === undefined) { // end of file inside a quote
      if (held.length === 0) break;
      if (held.length > 1) {
        yield resync('jamais refermé');
        continue;
      }
      yield brokenRecord(held[0], `guillemet ouvert ligne ${held[0].line} jamais refermé`);
      break;
    }
    const { line, text, tooLong } = current;
    if (held.length === 0 && isBlank(text) && !tooLong) continue;
    delim ??= detectDelimiter(text);
    if (tooLong) {
      const first = held[0] ?? current;
      const field = held.length > 0 ? state.cells.length : cellCutIn(text, delim);
      restart();
      yield brokenRecord(first, `ligne ${line} de ${tooLong.bytes} octets, au-delà de la limite de ${tooLong.max / 1024 / 1024} Mio `
        + 'par ligne : enregistrement rejeté, le fichier continue', field);
      continue;
    }
    held.push(current);
    chars += text.length;
    if (!feedLine(state, text, delim)) {
      if (chars > maxChars) yield resync(`court sur plus de ${maxChars / 1024 / 1024} Mio de texte`);
      continue;
    }
    const broken = state.error !== undefined || (width !== undefined && state.cells.length !== width);
    if (broken && held.length > 1) {
      yield resync(`et refermé seulement ligne ${line}${state.error ? ` (${state.error})` : ''}`);
      continue;
    }
    if (held.length > 1 && width !== undefined && swallowsRecords(held, delim, width)) {
      yield resync(`et refermé seulement ligne ${line}, alors que les dernières lignes forment des enregistrements complets`);
      continue;
    }
    width ??= state.cells.length;
    yield { line: held[0].line, cells: state.cells, raw: held.map((l) => l.text).join('\n'), ...(state.error ? { error: state.error } : {}) };
    restart();
  }
}
