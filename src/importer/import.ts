/**
 * Import of structures or resources from a JSON Lines or CSV stream, per the data contract:
 *
 *   bytes → numbered lines → raw records → check (contract, commune, unique id) → batches → upsert
 *
 * The whole file is one transaction: the valid records are written in batches inside it (with the
 * import_runs row and the audit entry naming who imported, at the end), and any
 * fatal error (unreadable stream, invalid UTF-8, database failure, a crash of a dependency, an
 * abort) rolls everything back, so the database is as before the import. Rejected records do not
 * stop the import: each is handed to `onReject` as soon as it is found. Memory stays bounded: one
 * batch of records, one line, and the set of ids seen (to detect duplicates).
 *
 * The CLI (`passerelles import`) and the HTTP API (bulk upload) both call `importRecords`.
 */
import { writeAudit, type AuditActor } from '../audit/audit.repository.ts';
import type { Logger } from '../config/logger.ts';
import { inTransaction, type Db, type Store } from '../db/open.ts';
import { refreshPlannerStats } from '../db/planner.ts';
import { isUnavailable, loggableError, rootCause } from '../db/errors.ts';
import { createRecordsRepository, type RecordInput, type UpsertCounts } from '../records/records.repository.ts';
import { isPasserellesError, PasserellesError } from '../domain/errors.ts';
import type { EntityKind, ResourceRecord, StructureRecord } from '../domain/types.ts';
import { createRecordChecker, type PostalCodeResolver } from './check.ts';
import { importErrors } from './errors.ts';
import { recordImportRun } from './import-runs.ts';
import { readRecords, type ImportFormat } from './records.ts';
import type { Reject } from './rejects.ts';

export interface ImportDeps {
  /** `kind` (and `sharedBy`): the embedded database's statistics are refreshed after a large import. */
  store: Pick<Store, 'db'> & Partial<Pick<Store, 'kind' | 'sharedBy'>>;
  geography: PostalCodeResolver;
  logger?: Logger;
}

export interface ImportProgress {
  /** Records read so far (accepted and rejected). */
  records: number;
  /** Last line read. */
  line: number;
  /** Bytes read from the source. */
  bytes: number;
}

export interface ImportInput {
  kind: EntityKind;
  format: ImportFormat;
  /** The file's bytes: a Node Readable, a file handle stream, an HTTP request body… */
  source: AsyncIterable<Uint8Array | string>;
  /** Name used in messages and rejects (file path, upload name). */
  sourceName: string;
  /** Called for every rejected record, in file order; awaited (it may write to a file). */
  onReject(reject: Reject): void | Promise<void>;
  /** Called after every record read; throttle on the caller's side. */
  onProgress?(progress: ImportProgress): void;
  /** Records per write (default 500). */
  batchSize?: number;
  /** Aborting rolls the import back (an HTTP client that goes away, Ctrl-C). */
  signal?: AbortSignal;
  /** Who imports: the audit entry (records.imported) is written in the import's transaction. */
  actor: AuditActor;
}

export interface ImportSummary extends UpsertCounts {
  rejected: number;
  /** Records read: inserted + updated + unchanged + rejected. */
  total: number;
  /** Id of the import_runs row. */
  runId: number;
}

type Placed = RecordInput<StructureRecord> | RecordInput<ResourceRecord>;

const DEFAULT_BATCH = 500;

/** Turns errors of the byte stream itself (file removed, permission, socket) into a fatal import error. */
async function* guardSource(source: AsyncIterable<Uint8Array | string>, sourceName: string, progress: ImportProgress) {
  try {
    for await (const chunk of source) {
      progress.bytes += chunk.length;
      yield chunk;
    }
  } catch (e) {
    throw isPasserellesError(e) ? e : importErrors.unreadable(sourceName, e as Error);
  }
}

function writer(store: Pick<Store, 'db'>, kind: EntityKind) {
  const repository = createRecordsRepository(store);
  return (tx: Db, batch: Placed[]) => (kind === 'structure'
    ? repository.upsertStructures(tx, batch as RecordInput<StructureRecord>[])
    : repository.upsertResources(tx, batch as RecordInput<ResourceRecord>[]));
}

async function runImport(tx: Db, deps: ImportDeps, input: ImportInput): Promise<ImportSummary> {
  const write = writer(deps.store, input.kind);
  const check = createRecordChecker(input.kind, deps.geography, input.sourceName);
  const batchSize = input.batchSize ?? DEFAULT_BATCH;
  const progress: ImportProgress = { records: 0, line: 0, bytes: 0 };
  const counts = { inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
  let batch: Placed[] = [];
  const flush = async () => {
    const written = await write(tx, batch);
    counts.inserted += written.inserted;
    counts.updated += written.updated;
    counts.unchanged += written.unchanged;
    deps.logger?.debug({ source: input.sourceName, line: progress.line, ...counts }, 'import: lot écrit');
    batch = [];
  };

  const source = guardSource(input.source, input.sourceName, progress);
  for await (const raw of readRecords({ ...input, source })) {
    if (input.signal?.aborted) throw importErrors.aborted(input.sourceName);
    const checked = check(raw);
    if (checked.ok) batch.push({ record: checked.record, place: checked.place } as Placed);
    else {
      counts.rejected += 1;
      await input.onReject(checked.reject);
    }
    progress.records += 1;
    progress.line = raw.line;
    input.onProgress?.(progress);
    if (batch.length >= batchSize) await flush();
  }
  if (input.signal?.aborted) throw importErrors.aborted(input.sourceName);
  await flush();
  const runId = await recordImportRun(tx, { kind: input.kind, source: input.sourceName, ...counts });
  await writeAudit(tx, {
    actor: input.actor, action: 'records.imported', recordKind: input.kind, recordId: null,
    details: { source: input.sourceName, run_id: runId, ...counts, total: progress.records },
  });
  return { ...counts, total: progress.records, runId };
}

/** The cause in a message: a database error by its code only (its text holds the batch's values). */
function causeOf(e: unknown): string {
  if (loggableError(e) === e) return String((e as Error)?.message ?? e).slice(0, 300);
  const code = (rootCause(e) as { code?: unknown } | undefined)?.code;
  return `erreur de la base de données${typeof code === 'string' ? ` (code ${code})` : ''}`;
}

/** The table's planner statistics brought up to date after a large import (see db/planner.ts); the import stands if this fails. */
async function plannerStatsAfter(deps: ImportDeps, kind: EntityKind, changed: number): Promise<void> {
  if (changed === 0 || deps.store.kind === undefined) return;
  try {
    await refreshPlannerStats(deps.store, [kind === 'structure' ? 'structures' : 'resources'], changed);
  } catch (e) {
    deps.logger?.warn({ err: loggableError(e) }, 'statistiques de la base non mises à jour après l’import');
  }
}

/** Imports one file atomically; resolves with the counts, or rejects with a fatal error and no change. */
export async function importRecords(deps: ImportDeps, input: ImportInput): Promise<ImportSummary> {
  try {
    const summary = await inTransaction(deps.store.db, (tx) => runImport(tx, deps, input));
    deps.logger?.info({ kind: input.kind, source: input.sourceName, ...summary }, 'import terminé');
    await plannerStatsAfter(deps, input.kind, summary.inserted + summary.updated);
    return summary;
  } catch (e) {
    if (isPasserellesError(e)) throw e;
    // Never the error's own message: a failed query carries its SQL and the batch's values.
    deps.logger?.error({ err: loggableError(e), source: input.sourceName }, 'import interrompu');
    if (isUnavailable(e)) {
      throw new PasserellesError('db.unreachable',
        `Import de « ${input.sourceName} » interrompu : base de données injoignable ; rien n’a été importé (la base est inchangée).`,
        503, { source: input.sourceName });
    }
    throw new PasserellesError('import.failed',
      `Import de « ${input.sourceName} » interrompu, rien n’a été importé (la base est inchangée) : ${causeOf(e)}`,
      500, { source: input.sourceName });
  }
}
