/**
 * The two storage operations the records use cases need besides the repository: filtered, keyset-paginated
 * lists (the caller's scope becomes part of the WHERE clause, so a page never holds a hidden row) and
 * archiving (soft delete). Free text `q` is matched word by word, ignoring case and accents, on
 * the texts of the record.
 */
import { and, asc, eq, gt, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { resources, structures } from '../db/schema.ts';
import { badCharacter } from '../domain/characters.ts';
import type { EntityKind } from '../domain/types.ts';
import { invalidRequest } from '../domain/validation.ts';
import type { ResourceListScope, StructureListScope } from '../access/access.policy.ts';
import type { ResourceListQuery, StructureListQuery } from './records.queries.ts';
import { toStored, type StoredRecord } from './records.repository.ts';
import { fold } from './records.search.ts';

/** A stored row as the lists and use cases read it. */
export type Row<R> = StoredRecord<R>;

const escapeLike = (word: string) => word.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Each word of `q`, folded, inside the record's folded text (search_text, written with the record). */
function textMatches(table: typeof structures | typeof resources, q: string | undefined): SQL[] {
  if (!q) return [];
  const words = fold(q).split(/\s+/).filter(Boolean).slice(0, 10);
  return words.map((w) => sql`${table.searchText} like ${`%${escapeLike(w)}%`}`);
}

function statusCondition(table: typeof structures | typeof resources, status: 'active' | 'archived' | 'all'): SQL | undefined {
  if (status === 'active') return isNull(table.archivedAt);
  if (status === 'archived') return isNotNull(table.archivedAt);
  return undefined;
}

const never = sql`false`;

/** Opaque cursor: the last id of the page, base64url. */
export const encodeCursor = (id: string) => Buffer.from(id, 'utf8').toString('base64url');
/**
 * The id a cursor stands for; 400 naming `cursor` when it is not one this service made (it must
 * encode back to itself and hold storable text), never a query with garbage in it.
 */
export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (id === '' || encodeCursor(id) !== cursor || badCharacter(id)) {
    throw invalidRequest([{ path: 'cursor', message: 'curseur invalide : reprenez next_cursor de la page précédente' }]);
  }
  return id;
}


export interface Page<R> { items: Row<R>[]; nextCursor: string | null }

async function page<R>(db: Db, table: typeof structures, where: (SQL | undefined)[], limit: number, cursor?: string): Promise<Page<R>> {
  const conditions = [...where, cursor ? gt(table.id, decodeCursor(cursor)) : undefined];
  const rows = await db.select().from(table).where(and(...conditions)).orderBy(asc(table.id)).limit(limit + 1);
  const items = rows.slice(0, limit).map((r) => toStored<R>(r));
  return { items, nextCursor: rows.length > limit ? encodeCursor(rows[limit - 1].id) : null };
}

export function listStructures<R>(db: Db, scope: StructureListScope, q: StructureListQuery): Promise<Page<R>> {
  const t = structures;
  const visible = 'all' in scope ? undefined
    : 'id' in scope ? eq(t.id, scope.id)
    : scope.regions.length > 0 ? inArray(t.region, scope.regions) : never;
  return page<R>(db, t, [
    visible,
    statusCondition(t, q.status),
    q.region ? eq(t.region, q.region) : undefined,
    q.department ? eq(t.department, q.department) : undefined,
    q.pillar ? sql`${t.needs} @> array[${q.pillar}]::text[]` : undefined,
    q.legal_form ? eq(t.legalForm, q.legal_form) : undefined,
    ...textMatches(t, q.q),
  ], q.limit, q.cursor);
}

export function listResources<R>(db: Db, scope: ResourceListScope, q: ResourceListQuery): Promise<Page<R>> {
  const t = resources;
  const visible = 'all' in scope ? undefined
    : or(eq(t.scope, 'national'), scope.regionsOrNational.length > 0 ? inArray(t.region, scope.regionsOrNational) : never);
  const forms = sql`${t.record}->'eligible_legal_forms'`;
  return page<R>(db, t as unknown as typeof structures, [
    visible,
    statusCondition(t, q.status),
    q.region ? eq(t.region, q.region) : undefined,
    q.department ? eq(t.department, q.department) : undefined,
    q.pillar ? eq(t.pillar, q.pillar) : undefined,
    q.scope ? eq(t.scope, q.scope) : undefined,
    q.legal_form
      ? sql`(${forms} is null or jsonb_array_length(${forms}) = 0 or ${forms} @> ${JSON.stringify([q.legal_form])}::jsonb)`
      : undefined,
    ...textMatches(t, q.q),
  ], q.limit, q.cursor);
}

/** Soft delete: sets archived_at (and updated_at, so refreshes see it). False when already archived or absent. */
export async function archiveRecord(db: Db, kind: EntityKind, id: string): Promise<boolean> {
  const t = (kind === 'structure' ? structures : resources) as typeof structures;
  const rows = await db.update(t).set({ archivedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(t.id, id), isNull(t.archivedAt))).returning({ id: t.id });
  return rows.length > 0;
}
