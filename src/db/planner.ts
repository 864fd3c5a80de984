/**
 * Planner statistics for the embedded database. PGlite runs no autovacuum, so its tables never get
 * statistics unless asked, and its cumulative counters are not kept across opens: the planner then
 * guesses. At national scale it guessed that few structures are active and read a keyset page
 * (`id > $1 order by id limit 5000`) by scanning and sorting every row after `$1`: 41 pages of
 * stamps took 10 s (the worst 723 ms, every request held meanwhile) instead of 1.7 s (98 ms) once
 * analysed. A PostgreSQL server analyses by itself (autovacuum); this does nothing there.
 *
 * A table is analysed when it never was (`pg_class.reltuples` < 0), or when `changed` rows are
 * more than a tenth of what its last analysis counted (autovacuum's default rule).
 */
import { sql } from 'drizzle-orm';
import { isEmbedded, rowsOf, type Store } from './open.ts';

/** The tables whose plans matter at scale (keyset pages, lookups by id). */
export const RECORD_TABLES = ['structures', 'resources'] as const;
export type AnalysedTable = (typeof RECORD_TABLES)[number];

/** Analyses the tables that need it; returns those analysed. */
export async function refreshPlannerStats(
  store: Pick<Store, 'db' | 'kind' | 'sharedBy'>, tables: readonly AnalysedTable[], changed = 0,
): Promise<AnalysedTable[]> {
  if (!isEmbedded(store)) return [];
  const done: AnalysedTable[] = [];
  for (const table of tables) {
    const [row] = await rowsOf<{ tuples: number }>(store.db, sql`select reltuples::float8 as tuples from pg_class where relname = ${table} and relkind = 'r'`);
    if (!row) continue;
    const tuples = Number(row.tuples);
    if (tuples >= 0 && changed <= tuples / 10) continue;
    await rowsOf(store.db, sql.raw(`analyze ${table}`));
    done.push(table);
  }
  return done;
}
