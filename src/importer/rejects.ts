/**
 * A rejected record: where it is (file, line), what is wrong with it (every field error at once,
 * with the first one also flat for simple consumers) and its raw text, so that it can be fixed
 * and sent again. The CLI prints it and appends it to FILE.rejects.jsonl; the API returns it.
 */
import type { FieldError, RejectCode } from '../contract/index.ts';

export interface Reject {
  /** File name (CLI) or upload name (API). */
  source: string;
  /** Line where the record starts. */
  line: number;
  /** The record's id when it could be read. */
  id?: string;
  /** Code and field of the first error. */
  code: RejectCode;
  field?: string;
  /** Every reason, in French, joined by « ; ». */
  reason: string;
  errors: FieldError[];
  /** The line (or CSV record) as written in the file. */
  raw: string;
}

const describeError = (e: FieldError) => (e.field ? `${e.field} : ${e.reason}` : e.reason);

export function makeReject(source: string, line: number, raw: string, errors: FieldError[], id?: string): Reject {
  const [first] = errors;
  return {
    source, line, ...(id === undefined ? {} : { id }),
    code: first.code, ...(first.field ? { field: first.field } : {}),
    reason: errors.map(describeError).join(' ; '),
    errors, raw,
  };
}

/** One line per field error: « fichier.csv:12 (id s-1) champ postal_code : … ». */
export function formatReject(reject: Reject): string[] {
  const where = `${reject.source}:${reject.line}${reject.id ? ` (id ${reject.id})` : ''}`;
  return reject.errors.map((e) => (e.field ? `${where} champ ${e.field} : ${e.reason}` : `${where} : ${e.reason}`));
}

/** The JSON line written to FILE.rejects.jsonl for one reject. */
export const rejectJsonLine = (reject: Reject): string => `${JSON.stringify(reject)}\n`;
