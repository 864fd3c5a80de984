/**
 * What a user does with structures and resources, the same for both kinds and for every entry
 * point: read one, list, create, replace, patch, archive, import a file. Every write is validated
 * by the contract, placed by the geography, checked against the caller's scope (before AND after
 * the change: a delegate cannot move a record out of its régions), stored, and pushed to the index
 * so that it is matchable at once.
 *
 * Lifecycle: archiving keeps the row (for reports and feedback history) and drops it from the
 * index. A replacement of an archived record brings it back; a patch of an archived record is
 * refused (409).
 *
 * Audit: a write that changes the row writes its entry (record.created, record.updated with the
 * names of the fields that changed, record.archived) in the same transaction; a write that changes
 * nothing (the same record again, archiving an archived one) writes none. An import is one entry.
 */
import {
  hiddenWithoutLookup, importAccess, resourceAccess, resourceListScope, structureAccess, structureListScope,
  type Access, type Action, type Caller,
} from '../access/access.policy.ts';
import { actorOf, writeAudit } from '../audit/audit.repository.ts';
import { inTransaction, type Store } from '../db/open.ts';
import { loggableError } from '../db/errors.ts';
import { isObject, getOwn, setOwn } from '../domain/validation.ts';
import { sql } from 'drizzle-orm';
import type { EntityKind, Place } from '../domain/types.ts';
import type { Index } from '../engine/index.ts';
import type { Geography } from '../geo/geography.ts';
import { importRecords, type ImportInput, type ImportSummary } from '../importer/index.ts';
import type { Logger } from '../config/logger.ts';
import { applyChange, catchUp } from '../matching/matching.sync.ts';
import { recordErrors } from './records.errors.ts';
import { archiveRecord, listResources, listStructures, type Page, type Row } from './records.lists.ts';
import type { ResourceListQuery, StructureListQuery } from './records.queries.ts';
import { createRecordsRepository, type RecordOf, type RecordStamps } from './records.repository.ts';
import { validatePlaced } from './records.validation.ts';

export interface RecordsDeps {
  store: Store;
  geography: Geography;
  /** The index that writes keep up to date (absent for a process that does not match). */
  index?: Index;
  /**
   * When the indexed records last changed: with them, reading an active record answers from the
   * index's entity, without a database round trip (writes of this process keep them exact; a
   * record without a stamp is read from the database).
   */
  stamps?: RecordStamps;
  /**
   * Told when the index could not be brought up to date after a committed import (the database
   * went away): it catches up later, by itself. Without it, the failure is the caller's.
   */
  sync?: IndexSync;
  logger?: Logger;
}

/** What keeps the index converging with the store (matching.follow.ts's follower). */
export interface IndexSync {
  /** Rows changed since `at` must reach the index: caught up again and again until it works. */
  onWrite(at: Date): void;
  /** Undefined when up to date; else since when the index is behind. */
  status(): { behind: true; since: string; attempts: number; reason?: string } | undefined;
}

export type ListQuery<K extends EntityKind> = K extends 'structure' ? StructureListQuery : ResourceListQuery;

/** RFC 7396: objects merge recursively, null removes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else setOwn(out, key, mergePatch(getOwn(out, key), value));
  }
  return out;
}

function accessTo(kind: EntityKind, caller: Caller, action: Action, id: string, record: RecordOf[EntityKind], place: Place): Access {
  if (kind === 'structure') return structureAccess(caller, action, { id, region: place.region });
  const scope = (record as RecordOf['resource']).scope ?? 'local';
  return resourceAccess(caller, action, { id, region: place.region, scope });
}

/** Names of the top-level fields whose value differs (values are never written to the audit trail). */
export function changedFields(before: object, after: object): string[] {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key])).sort();
}

export interface ImportFileRequest extends Omit<ImportInput, 'actor'> {
  /** The request's logger (its lines carry the request id). */
  logger?: Logger;
}

export function createRecords(deps: RecordsDeps) {
  const repository = createRecordsRepository(deps.store);
  const { stamps, index } = deps;
  const getRow = <K extends EntityKind>(kind: K, id: string) =>
    (kind === 'structure' ? repository.getStructure(id) : repository.getResource(id)) as Promise<Row<RecordOf[K]> | undefined>;

  /** An active record as the index holds it, when its stamp is known: the row without the database. */
  function heldRow<K extends EntityKind>(kind: K, id: string): Row<RecordOf[K]> | undefined {
    const at = stamps?.[kind].get(id);
    const entity = at === undefined ? undefined : kind === 'structure' ? index?.getStructure(id) : index?.getResource(id);
    if (!entity) return undefined;
    const { place, ...record } = entity;
    return { record: record as unknown as RecordOf[K], place, updatedAt: new Date(at!), archivedAt: null };
  }

  /** Keeps the stamp of a record this process wrote (or drops it). */
  function stamp(kind: EntityKind, row: Row<unknown> | undefined): void {
    if (!stamps || !row) return;
    const id = (row.record as { id: string }).id;
    if (row.archivedAt) stamps[kind].delete(id); else stamps[kind].set(id, row.updatedAt.getTime());
  }

  function enforce(kind: EntityKind, access: Access, id: string): void {
    if (access === 'hidden') throw recordErrors.notFound(kind, id);
    if (access === 'forbidden') throw recordErrors.outOfScope(kind);
  }

  /** The row, if the caller may do `action` on it; 404 when absent or hidden, 403 when out of scope. */
  async function load<K extends EntityKind>(caller: Caller, kind: K, action: Action, id: string, held = false): Promise<Row<RecordOf[K]>> {
    if (hiddenWithoutLookup(caller, kind, id)) throw recordErrors.notFound(kind, id);
    const row = (held ? heldRow(kind, id) : undefined) ?? await getRow(kind, id);
    if (!row) throw recordErrors.notFound(kind, id);
    enforce(kind, accessTo(kind, caller, action, id, row.record, row.place), id);
    return row;
  }

  /** Validates, checks the scope, writes the row and its audit entry in one transaction, updates the index. */
  async function save<K extends EntityKind>(
    caller: Caller, kind: K, id: string, input: unknown, action: 'create' | 'update', before?: Row<RecordOf[K]>,
  ): Promise<Row<RecordOf[K]>> {
    const placed = validatePlaced(kind, input, deps.geography);
    if (placed.record.id !== id) throw recordErrors.idMismatch(placed.record.id, id);
    enforce(kind, accessTo(kind, caller, action, id, placed.record, placed.place), id);
    await inTransaction(deps.store.db, async (tx) => {
      const counts = kind === 'structure'
        ? await repository.upsertStructures(tx, [placed as { record: RecordOf['structure']; place: Place }])
        : await repository.upsertResources(tx, [placed as { record: RecordOf['resource']; place: Place }]);
      if (counts.unchanged > 0) return;
      const created = counts.inserted > 0;
      await writeAudit(tx, {
        actor: actorOf(caller), action: created ? 'record.created' : 'record.updated', recordKind: kind, recordId: id,
        details: created || !before ? {} : {
          fields: changedFields(before.record, placed.record), ...(before.archivedAt ? { restored: true } : {}),
        },
      });
    });
    if (deps.index) applyChange(deps.index, kind, { record: { ...placed.record }, place: placed.place });
    const row = (await getRow(kind, id))!;
    stamp(kind, row);
    return row;
  }

  return {
    get: <K extends EntityKind>(caller: Caller, kind: K, id: string) => load(caller, kind, 'read', id, true),

    list<K extends EntityKind>(caller: Caller, kind: K, query: ListQuery<K>): Promise<Page<RecordOf[K]>> {
      return (kind === 'structure'
        ? listStructures(deps.store.db, structureListScope(caller), query as StructureListQuery)
        : listResources(deps.store.db, resourceListScope(caller), query as ResourceListQuery)) as Promise<Page<RecordOf[K]>>;
    },

    async create<K extends EntityKind>(caller: Caller, kind: K, body: unknown): Promise<Row<RecordOf[K]>> {
      if (caller.role === 'structure') throw recordErrors.structureKeyCannotCreate();
      const id = isObject(body) && typeof body.id === 'string' ? body.id.trim() : '';
      if (id && await getRow(kind, id)) throw recordErrors.alreadyExists(kind, id);
      return save(caller, kind, id, body, 'create');
    },

    async replace<K extends EntityKind>(caller: Caller, kind: K, id: string, body: unknown): Promise<Row<RecordOf[K]>> {
      const before = await load(caller, kind, 'update', id);
      return save(caller, kind, id, isObject(body) && body.id === undefined ? { ...body, id } : body, 'update', before);
    },

    async patch<K extends EntityKind>(caller: Caller, kind: K, id: string, patch: unknown): Promise<Row<RecordOf[K]>> {
      const row = await load(caller, kind, 'update', id);
      if (row.archivedAt) throw recordErrors.archived(kind, id);
      if (!isObject(patch)) throw recordErrors.notAnObject();
      const { extra, ...fields } = row.record as RecordOf[K] & { extra?: Record<string, unknown> };
      return save(caller, kind, id, mergePatch({ ...extra, ...fields }, patch), 'update', row);
    },

    async archive(caller: Caller, kind: EntityKind, id: string): Promise<void> {
      const row = await load(caller, kind, 'archive', id);
      if (!row.archivedAt) {
        await inTransaction(deps.store.db, async (tx) => {
          if (await archiveRecord(tx, kind, id)) await writeAudit(tx, { actor: actorOf(caller), action: 'record.archived', recordKind: kind, recordId: id });
        });
      }
      deps.index?.remove(kind, id);
      stamps?.[kind].delete(id);
    },

    /**
     * Imports a JSON Lines or CSV file (the importer: same validation, per-record rejects, one
     * transaction), then brings the index up to date with every row the import touched.
     */
    /** Throws unless the caller may import files (admins only): to check before reading an upload. */
    checkImport(caller: Caller): void {
      if (importAccess(caller) !== 'allow') throw recordErrors.importNotAllowed();
    },

    async importFile(caller: Caller, request: ImportFileRequest): Promise<ImportSummary> {
      if (importAccess(caller) !== 'allow') throw recordErrors.importNotAllowed();
      const [{ now }] = await deps.store.rows<{ now: Date | string }>(sql`select clock_timestamp() as now`);
      const before = new Date(now);
      const summary = await importRecords({ store: deps.store, geography: deps.geography, logger: request.logger }, { ...request, actor: actorOf(caller) });
      if (!deps.index || summary.inserted + summary.updated === 0) return summary;
      try {
        await catchUp(deps.store, deps.index, request.kind, before, stamps?.[request.kind]);
      } catch (e) {
        // The import is committed: it is acknowledged, and the index catches up later, by itself.
        if (!deps.sync) throw e;
        (request.logger ?? deps.logger)?.warn({ err: loggableError(e) }, 'import enregistré, index pas encore à jour : rattrapage en arrière-plan');
        deps.sync.onWrite(before);
      }
      return summary;
    },
  };
}

export type Records = ReturnType<typeof createRecords>;
