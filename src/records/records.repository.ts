/**
 * Structures and resources in the store: upsert by id with a content hash (a record that did not
 * change is not rewritten), reads by id, and a keyset-paginated stream of active rows that the
 * matching engine loads its index from (and refreshes with `since`, an updated_at watermark).
 *
 * Lifecycle rules:
 * - an upsert of an unchanged record leaves the row alone (updated_at kept);
 * - an upsert of an archived record brings it back (archived_at cleared, updated_at set): the
 *   source says the record exists, so it becomes matchable again — counted as `updated`;
 * - updated_at is the transaction time (`now()`), the same for every row of one import and equal
 *   to the `started_at` of its import_runs row.
 *
 * Refreshing with `since`: rows of a long import become visible at its commit but carry its start
 * time, so a watermark taken as max(updatedAt) may already be past them. A refresher that never
 * misses rows takes `since` = min(its watermark, started_at of the import_runs rows it has not seen).
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { and, asc, count, eq, getTableColumns, getTableName, gt, gte, isNull, sql } from 'drizzle-orm';
import { contentHash } from '../contract/canonical.ts';
import { resourceSearchText, structureSearchText } from './records.search.ts';
import type { RecordOfKind } from '../contract/validate.ts';
import type { EntityKind, Place, Resource, ResourceRecord, Structure, StructureRecord } from '../domain/types.ts';
import { isEmbedded, rowsOf, type Db, type Store } from '../db/open.ts';
import { resources, structures } from '../db/schema.ts';

/** Record type of each kind (the contract's own mapping). */
export type RecordOf = RecordOfKind;

/** A record as stored: the validated contract record, its resolved place and its lifecycle dates. */
export interface StoredRecord<R> {
  record: R;
  place: Place;
  updatedAt: Date;
  archivedAt: Date | null;
}

/** What an upsert takes: a validated record and the place its postal code resolved to. */
export interface RecordInput<R> {
  record: R;
  place: Place;
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface StreamOptions {
  /** Only rows updated at or after this instant (inclusive: overlap the watermark, never miss a row). */
  since?: Date;
  /** Only rows updated before this instant (exclusive): what several readers who must agree all see. */
  until?: Date;
  /** Rows per query (default 1000). */
  batchSize?: number;
  /** Also yield archived rows (with archivedAt set), so that a refresh learns about removals. */
  withArchived?: boolean;
}

type Table = typeof structures | typeof resources;
type Row = typeof structures.$inferSelect | typeof resources.$inferSelect;

const tables: Record<EntityKind, Table> = { structure: structures, resource: resources };

const placeColumns = (place: Place) => ({
  postalCode: place.postalCode, inseeCode: place.inseeCode, commune: place.commune,
  department: place.department, region: place.region, lat: place.lat, lon: place.lon,
});

export function structureRow({ record, place }: RecordInput<StructureRecord>): typeof structures.$inferInsert {
  return {
    id: record.id, name: record.name, legalForm: record.legal_form, needs: record.needs,
    ...placeColumns(place), record, contentHash: contentHash(record, place), searchText: structureSearchText(record, place.commune),
  };
}

export function resourceRow({ record, place }: RecordInput<ResourceRecord>): typeof resources.$inferInsert {
  return {
    id: record.id, pillar: record.pillar, title: record.title, scope: record.scope ?? 'local',
    ...placeColumns(place), record, contentHash: contentHash(record, place), searchText: resourceSearchText(record, place.commune),
  };
}

/** A table row as the use cases read it: the record, its place and its lifecycle dates. */
export function toStored<R>(row: Row): StoredRecord<R> {
  const { postalCode, inseeCode, commune, department, region, lat, lon } = row;
  return {
    record: row.record as R,
    place: { postalCode, inseeCode, commune, department, region, lat, lon },
    updatedAt: row.updatedAt,
    archivedAt: row.archivedAt,
  };
}

type InsertRow = typeof structures.$inferInsert | typeof resources.$inferInsert;

/**
 * The write statement of a table, built once: the rows of a batch travel as ONE jsonb parameter
 * unpacked by `jsonb_to_recordset`, which keeps query building cheap for large batches (drizzle's
 * builder spent more time binding 7,000 parameters than the database spent writing). On conflict,
 * every column but id and created_at takes the incoming value, and the row comes back from archive.
 */
function writePlan(table: Table) {
  const columns = Object.entries(getTableColumns(table))
    .filter(([key]) => !['createdAt', 'updatedAt', 'archivedAt'].includes(key))
    .map(([key, column]) => ({ key: key as keyof InsertRow, name: column.name, type: column.getSQLType() }));
  const list = columns.map((c) => `"${c.name}"`).join(', ');
  const types = columns.map((c) => `"${c.name}" ${c.type}`).join(', ');
  const set = columns.filter((c) => c.key !== 'id').map((c) => `"${c.name}" = excluded."${c.name}"`).join(', ');
  const name = `"${getTableName(table)}"`;
  return {
    existing: (ids: string[]) => sql`select id, content_hash as hash, archived_at is not null as archived
      from ${sql.raw(name)} where id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`,
    upsert: (rows: InsertRow[]) => {
      const payload = JSON.stringify(rows.map((row) => Object.fromEntries(columns.map((c) => [c.name, row[c.key]]))));
      return sql`insert into ${sql.raw(`${name} (${list})`)} select ${sql.raw(list)}
        from jsonb_to_recordset(${payload}::jsonb) as x(${sql.raw(types)})
        on conflict (id) do update set ${sql.raw(`${set}, updated_at = now(), archived_at = null`)}`;
    },
  };
}

const plans = new Map<Table, ReturnType<typeof writePlan>>([[structures, writePlan(structures)], [resources, writePlan(resources)]]);

/**
 * Writes new and changed rows, counts the unchanged ones. Rows sharing an id: the last one wins.
 * Call it inside a transaction (`tx`) to make a whole import atomic.
 */
async function upsertRows(tx: Db, table: Table, input: InsertRow[]): Promise<UpsertCounts> {
  const rows = [...new Map(input.map((r) => [r.id, r])).values()];
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const plan = plans.get(table)!;
  const existing = await rowsOf<{ id: string; hash: string; archived: boolean }>(tx, plan.existing(rows.map((r) => r.id)));
  const known = new Map(existing.map((e) => [e.id, e]));
  const counts = { inserted: 0, updated: 0, unchanged: 0 };
  const toWrite = rows.filter((row) => {
    const before = known.get(row.id);
    const same = before !== undefined && before.hash === row.contentHash && !before.archived;
    if (!before) counts.inserted += 1;
    else if (same) counts.unchanged += 1;
    else counts.updated += 1;
    return !same;
  });
  if (toWrite.length > 0) await tx.execute(plan.upsert(toWrite));
  return counts;
}

/**
 * When each active record last changed (ms), by kind and id: with the index's entities, what a
 * single-record read answers without going to the database (see records.usecases.ts).
 */
export interface RecordStamps { structure: Map<string, number>; resource: Map<string, number> }

/** What the engine indexes of a row: the record with its place, and whether it is archived. */
export interface StreamedEntity<K extends EntityKind> { entity: EntityOf[K]; archived: boolean; /** ms */ updatedAt: number }
type EntityOf = { structure: Structure; resource: Resource };
interface EntityRow {
  id: string; record: unknown; postal_code: string; insee_code: string; commune: string;
  department: string; region: string; lat: number | string; lon: number | string; archived: boolean; at: number | string;
}

export function createRecordsRepository(store: Pick<Store, 'db'> & Partial<Pick<Store, 'kind' | 'sharedBy'>>) {
  const { db } = store;

  async function getOne<K extends EntityKind>(kind: K, id: string): Promise<StoredRecord<RecordOf[K]> | undefined> {
    const table = tables[kind] as typeof structures;
    const [row] = await db.select().from(table).where(eq(table.id, id)).limit(1);
    return row ? toStored<RecordOf[K]>(row) : undefined;
  }

  async function countActiveOf(kind: EntityKind): Promise<number> {
    const table = tables[kind] as typeof structures;
    const [row] = await db.select({ n: count() }).from(table).where(isNull(table.archivedAt));
    return row?.n ?? 0;
  }

  /** Active rows of a kind in id order, fetched `batchSize` at a time (keyset pagination). */
  async function* streamActive<K extends EntityKind>(kind: K, options: StreamOptions = {}): AsyncGenerator<StoredRecord<RecordOf[K]>> {
    const table = tables[kind] as typeof structures;
    const batchSize = options.batchSize ?? 1000;
    let after: string | undefined;
    for (;;) {
      const rows = await db.select().from(table).where(and(
        after === undefined ? undefined : gt(table.id, after),
        options.since ? gte(table.updatedAt, options.since) : undefined,
        options.withArchived ? undefined : isNull(table.archivedAt),
      )).orderBy(asc(table.id)).limit(batchSize);
      for (const row of rows) yield toStored<RecordOf[K]>(row);
      if (rows.length < batchSize) return;
      after = rows[rows.length - 1].id;
    }
  }

  /**
   * Active rows of a kind in id order as the engine indexes them (the record with its place, the
   * record's JSON parsed once by the driver and nothing else read), `batchSize` at a time (keyset
   * pagination: each query starts after the last id, on the primary key's index). With
   * `withArchived`, archived rows come too, marked, so that a refresh removes them.
   */
  async function* streamEntities<K extends EntityKind>(kind: K, options: StreamOptions = {}): AsyncGenerator<StreamedEntity<K>> {
    const table = sql.raw(kind === 'structure' ? 'structures' : 'resources');
    const batchSize = options.batchSize ?? 5000;
    let after: string | undefined;
    for (;;) {
      const rows = await rowsOf<EntityRow>(db, sql`select id, record, postal_code, insee_code, commune, department, region, lat, lon,
          archived_at is not null as archived, (extract(epoch from updated_at) * 1000)::float8 as at
        from ${table} where true
        ${after === undefined ? sql`` : sql`and id > ${after}`}
        ${options.since ? sql`and updated_at >= ${options.since.toISOString()}::timestamptz` : sql``}
        ${options.until ? sql`and updated_at < ${options.until.toISOString()}::timestamptz` : sql``}
        ${options.withArchived ? sql`` : sql`and archived_at is null`}
        order by id limit ${batchSize}`);
      for (const row of rows) {
        const record = (typeof row.record === 'string' ? JSON.parse(row.record) : row.record) as Record<string, unknown>;
        record.place = {
          postalCode: row.postal_code, inseeCode: row.insee_code, commune: row.commune,
          department: row.department, region: row.region, lat: Number(row.lat), lon: Number(row.lon),
        } satisfies Place;
        yield { entity: record as unknown as EntityOf[K], archived: row.archived, updatedAt: Number(row.at) };
      }
      if (rows.length < batchSize) return;
      after = rows[rows.length - 1].id;
    }
  }

  /**
   * When every active record of a kind last changed: ids and instants only, read in pages (stamps
   * already there are kept). It runs once the service is ready, beside the requests: the embedded
   * database runs a query on the service's thread, and its answer resumes this loop without the
   * event loop turning, so the pages are short and a turn is given back between them. Without that,
   * the 250,000 records of a national start held every request (/readyz included) for 6.6 s. There
   * a page of 5,000 held the thread 36-62 ms (median), one of 1,000 13 ms, for about the same total
   * (2.5 s at national scale); a server answers 5,000 in one round trip.
   */
  async function loadStamps(kind: EntityKind, into: Map<string, number>): Promise<void> {
    const table = sql.raw(kind === 'structure' ? 'structures' : 'resources');
    const batchSize = isEmbedded(store) ? 1_000 : 5_000;
    let after = '';
    for (;;) {
      if (after !== '') await yieldToLoop();
      const rows = await rowsOf<{ id: string; at: number | string }>(db, sql`select id, (extract(epoch from updated_at) * 1000)::float8 as at
        from ${table} where archived_at is null and id > ${after} order by id limit ${batchSize}`);
      for (const row of rows) if (!into.has(row.id)) into.set(row.id, Number(row.at)); // a stamp set meanwhile is newer
      if (rows.length < batchSize) return;
      after = rows[rows.length - 1].id;
    }
  }

  return {
    streamEntities,
    loadStamps,
    upsertStructures: (tx: Db, rows: RecordInput<StructureRecord>[]) => upsertRows(tx, structures, rows.map(structureRow)),
    upsertResources: (tx: Db, rows: RecordInput<ResourceRecord>[]) => upsertRows(tx, resources, rows.map(resourceRow)),
    getStructure: (id: string) => getOne('structure', id),
    getResource: (id: string) => getOne('resource', id),
    countActive: async () => ({ structures: await countActiveOf('structure'), resources: await countActiveOf('resource') }),
    /** Whether the store holds any record, archived or not (without counting 250,000 rows). */
    hasAny: async () => (await rowsOf(db, sql`select 1 from structures union all select 1 from resources limit 1`)).length > 0,
    streamActive,
  };
}
