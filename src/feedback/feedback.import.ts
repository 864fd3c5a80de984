/**
 * Import of feedback events from a JSON Lines or CSV file, with the importer's conventions:
 *
 *   bytes → numbered lines (importer/lines.ts, csv.ts) → one event per line → schema → the same
 *   checks as the API (ranking, item, pair, scope) → one transaction for every valid event
 *
 * A bad record does not stop the import: it is handed to `onReject` with its line, field and
 * French reason (in file order, once every line was checked). An event already stored (same client_event_id) is counted as a duplicate, not
 * rejected. A fatal error (unreadable file, not UTF-8, bad CSV header) writes nothing.
 * CSV: a header naming the event's fields (client_event_id, kind, reason, reason_text, ranking_id,
 * item_id, structure_id, resource_id, occurred_at); an empty cell is an absent field.
 */
import type { Caller } from '../access/access.policy.ts';
import { french, toFieldIssues } from '../domain/validation.ts';
import { importErrors } from '../importer/errors.ts';
import { readCsvRecords } from '../importer/csv.ts';
import { isBlank, readLines, type Line } from '../importer/lines.ts';
import { jsonErrorReason, type ImportFormat } from '../importer/records.ts';
import type { EventErrorDetails } from './feedback.errors.ts';
import { feedbackEventSchema, type FeedbackEventInput } from './feedback.schemas.ts';
import type { CheckedEvent, Feedback } from './feedback.usecases.ts';

export interface FeedbackReject {
  source: string;
  line: number;
  /** The event's client id when it could be read. */
  id?: string;
  code: string;
  field?: string;
  reason: string;
  errors: { field?: string; code: string; reason: string }[];
  raw: string;
}

export interface FeedbackImportInput {
  format: ImportFormat;
  source: AsyncIterable<Uint8Array | string>;
  sourceName: string;
  onReject(reject: FeedbackReject): void | Promise<void>;
}

export interface FeedbackImportSummary { total: number; created: number; duplicates: number; rejected: number }

const FIELDS = Object.keys(feedbackEventSchema.shape);

/** « fichier.jsonl:3 (événement e-1) champ ranking_id : … », one line per error. */
export function formatFeedbackReject(r: FeedbackReject): string[] {
  const where = `${r.source}:${r.line}${r.id ? ` (événement ${r.id})` : ''}`;
  return r.errors.map((e) => (e.field ? `${where} champ ${e.field} : ${e.reason}` : `${where} : ${e.reason}`));
}

interface RawEvent { line: number; raw: string; value?: Record<string, unknown>; error?: string }

async function* jsonLines(lines: AsyncIterable<Line>, sourceName: string): AsyncGenerator<RawEvent> {
  let first = true;
  for await (const { line, text } of lines) {
    if (isBlank(text)) continue;
    if (first && text.trimStart().startsWith('[')) throw importErrors.jsonArray(sourceName, line);
    first = false;
    try {
      const value = JSON.parse(text);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) yield { line, raw: text, error: 'la ligne n’est pas un objet JSON' };
      else yield { line, raw: text, value };
    } catch (e) {
      yield { line, raw: text, error: jsonErrorReason(e as Error) };
    }
  }
}

async function* csvRows(lines: AsyncIterable<Line>, sourceName: string): AsyncGenerator<RawEvent> {
  let header: string[] | undefined;
  for await (const record of readCsvRecords(lines, { sourceName })) {
    if (!header) {
      if (record.error) throw importErrors.badHeader(sourceName, record.error);
      header = record.cells.map((c) => c.trim());
      const unknown = header.filter((c) => !FIELDS.includes(c));
      if (unknown.length > 0) throw importErrors.badHeader(sourceName, `colonne(s) inconnue(s) : ${unknown.join(', ')} (connues : ${FIELDS.join(', ')})`);
      const missing = ['client_event_id', 'kind'].filter((c) => !header!.includes(c));
      if (missing.length > 0) throw importErrors.badHeader(sourceName, `colonne(s) obligatoire(s) absente(s) : ${missing.join(', ')}`);
      continue;
    }
    const { line, raw } = record;
    if (record.cells.every((c) => c.trim() === '') && !record.error) continue;
    if (record.error) { yield { line, raw, error: `ligne CSV mal formée : ${record.error}` }; continue; }
    if (record.cells.length !== header.length) {
      yield { line, raw, error: `${record.cells.length} cellule(s) pour ${header.length} colonnes dans l’en-tête` };
      continue;
    }
    const value: Record<string, unknown> = {};
    header.forEach((name, i) => { const cell = record.cells[i].trim(); if (cell !== '') value[name] = cell; });
    yield { line, raw, value };
  }
}

function rejectOf(sourceName: string, raw: RawEvent, errors: FeedbackReject['errors']): FeedbackReject {
  const id = typeof raw.value?.client_event_id === 'string' ? raw.value.client_event_id : undefined;
  return {
    source: sourceName, line: raw.line, ...(id ? { id } : {}), code: errors[0].code,
    ...(errors[0].field ? { field: errors[0].field } : {}),
    reason: errors.map((e) => (e.field ? `${e.field} : ${e.reason}` : e.reason)).join(' ; '), errors, raw: raw.raw,
  };
}

/** Reads, checks and stores the events of one file; valid ones in one transaction. */
export async function importFeedback(feedback: Feedback, caller: Caller, input: FeedbackImportInput): Promise<FeedbackImportSummary> {
  const lines = readLines(input.source, { sourceName: input.sourceName });
  const rows = input.format === 'csv' ? csvRows(lines, input.sourceName) : jsonLines(lines, input.sourceName);
  const parsed: { raw: RawEvent; event: FeedbackEventInput }[] = [];
  const rejects: FeedbackReject[] = [];
  let total = 0;
  for await (const raw of rows) {
    total += 1;
    if (raw.error) { rejects.push(rejectOf(input.sourceName, raw, [{ code: 'import.invalid_json', reason: raw.error }])); continue; }
    const result = feedbackEventSchema.safeParse(raw.value, { error: french.localeError });
    if (result.success) { parsed.push({ raw, event: result.data }); continue; }
    const errors = toFieldIssues(result.error.issues).map((i) => ({ ...(i.path ? { field: i.path } : {}), code: 'feedback.invalid', reason: i.message }));
    rejects.push(rejectOf(input.sourceName, raw, errors));
  }
  const checked: CheckedEvent[] = await feedback.check(caller, parsed.map((p) => p.event), true);
  checked.forEach((c, i) => {
    if (c.ok) return;
    const details = c.error.details as Partial<EventErrorDetails> | undefined;
    const reason = details?.reason ?? c.error.message;
    rejects.push(rejectOf(input.sourceName, parsed[i].raw, [{ ...(details?.field ? { field: details.field } : {}), code: c.error.code, reason }]));
  });
  for (const r of rejects.sort((a, b) => a.line - b.line)) await input.onReject(r);
  const stored = await feedback.store(checked);
  return { total, created: stored.created.length, duplicates: stored.duplicates.length, rejected: rejects.length };
}
