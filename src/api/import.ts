/**
 * Bulk import by upload: the request body (JSON Lines or CSV) is streamed into the same
 * `importRecords` as the command line — same validation, same per-record rejects, one transaction
 * — with a byte cap (413, and the import rolls back). Then the engine is refreshed with every row
 * the import touched, read back from the store (updated_at ≥ the instant before the import).
 */
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { createRecordsRepository } from '../db/records.repository.ts';
import type { EntityKind, Resource, Structure } from '../domain/types.ts';
import { importRecords, type Reject } from '../importer/index.ts';
import type { Logger } from '../config/logger.ts';
import type { ApiContext } from './context.ts';
import { apiErrors } from './errors.ts';

export const IMPORT_TYPES: Record<string, 'jsonl' | 'csv'> = {
  'application/x-ndjson': 'jsonl',
  'application/jsonl': 'jsonl',
  'application/json-lines': 'jsonl',
  'text/csv': 'csv',
};

/** `512kb`, `50mb` → bytes (the formats the configuration accepts). */
export function parseSize(size: string): number {
  const match = /^(\d+)(kb|mb)$/i.exec(size);
  if (!match) throw new Error(`parseSize: unsupported size « ${size} »`);
  return Number(match[1]) * (match[2].toLowerCase() === 'kb' ? 1024 : 1024 * 1024);
}

/** Passes the body through, failing with 413 as soon as it exceeds `limit` bytes. */
async function* capped(body: AsyncIterable<Buffer>, limit: number, shown: string): AsyncGenerator<Buffer> {
  let seen = 0;
  for await (const chunk of body) {
    seen += chunk.length;
    if (seen > limit) throw apiErrors.tooLarge(shown);
    yield chunk;
  }
}

/** A reject as the API answers it (its raw text is left out: the client has its file). */
const presentReject = ({ line, id, field, code, reason, errors }: Reject) => ({
  line, ...(id === undefined ? {} : { id }), ...(field ? { field } : {}), code, reason, errors,
});

export interface ImportRequest {
  kind: EntityKind;
  contentType: string;
  contentLength?: number;
  body: Readable;
  sourceName: string;
  signal: AbortSignal;
  /** The request's logger (its lines carry the request id). */
  logger: Logger;
}

export async function importUpload(ctx: ApiContext, request: ImportRequest) {
  const format = IMPORT_TYPES[request.contentType.split(';')[0].trim().toLowerCase()];
  if (!format) throw apiErrors.unsupportedMediaType(Object.keys(IMPORT_TYPES));
  const limit = parseSize(ctx.config.importLimit);
  if (request.contentLength !== undefined && request.contentLength > limit) throw apiErrors.tooLarge(ctx.config.importLimit);

  const [{ now }] = await ctx.store.rows<{ now: Date | string }>(sql`select clock_timestamp() as now`);
  const before = new Date(now);
  const rejects: ReturnType<typeof presentReject>[] = [];
  const summary = await importRecords({ store: ctx.store, geography: ctx.geography, logger: request.logger }, {
    kind: request.kind,
    format,
    source: capped(request.body, limit, ctx.config.importLimit),
    sourceName: request.sourceName,
    onReject: (reject) => { rejects.push(presentReject(reject)); },
    signal: request.signal,
  });
  ctx.metrics.imported(request.kind, summary);
  if (summary.inserted + summary.updated > 0) await refreshEngine(ctx, request.kind, before);
  const { inserted, updated, unchanged, rejected, total } = summary;
  return { source: request.sourceName, inserted, updated, unchanged, rejected, total, rejects };
}

/** Pushes every row changed since `since` to the engine (archived ones are removed). */
export async function refreshEngine(ctx: Pick<ApiContext, 'store' | 'engine'>, kind: EntityKind, since: Date): Promise<number> {
  const repository = createRecordsRepository(ctx.store);
  let n = 0;
  for await (const row of repository.streamActive(kind, { since, withArchived: true })) {
    n += 1;
    if (row.archivedAt) ctx.engine.remove(kind, row.record.id);
    else if (kind === 'structure') ctx.engine.upsertStructure({ ...row.record, place: row.place } as Structure);
    else ctx.engine.upsertResource({ ...row.record, place: row.place } as Resource);
  }
  return n;
}
