/**
 * Bulk import by upload: the request body (JSON Lines or CSV) is streamed into the same
 * `importRecords` as the command line — same validation, same per-record rejects, one transaction
 * — with a byte cap (413, and the import rolls back), through the records use case, which then
 * brings the index up to date with every row the import touched.
 */
import { Readable } from 'node:stream';
import type { Caller } from '../access/access.policy.ts';
import type { EntityKind } from '../domain/types.ts';
import type { Reject } from '../importer/index.ts';
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
async function* capped(body: AsyncIterable<Buffer>, limit: number): AsyncGenerator<Buffer> {
  let seen = 0;
  for await (const chunk of body) {
    seen += chunk.length;
    if (seen > limit) throw apiErrors.tooLarge(limit);
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

export async function importUpload(ctx: ApiContext, caller: Caller, request: ImportRequest) {
  ctx.records.checkImport(caller);
  const format = IMPORT_TYPES[request.contentType.split(';')[0].trim().toLowerCase()];
  if (!format) throw apiErrors.unsupportedMediaType(Object.keys(IMPORT_TYPES));
  const limit = parseSize(ctx.config.importLimit);
  if (request.contentLength !== undefined && request.contentLength > limit) throw apiErrors.tooLarge(limit);

  const rejects: ReturnType<typeof presentReject>[] = [];
  const summary = await ctx.records.importFile(caller, {
    logger: request.logger,
    kind: request.kind,
    format,
    source: capped(request.body, limit),
    sourceName: request.sourceName,
    onReject: (reject) => { rejects.push(presentReject(reject)); },
    signal: request.signal,
  });
  ctx.metrics.imported(request.kind, summary);
  const { inserted, updated, unchanged, rejected, total } = summary;
  return { source: request.sourceName, inserted, updated, unchanged, rejected, total, rejects };
}
