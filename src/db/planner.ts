/**
 * Planner statistics of the record tables, brought up to date by the program itself on both
 * databases. PGlite runs no autovacuum, so its tables never get statistics unless asked, and its
 * cumulative counters are not kept across opens. A PostgreSQL server's autovacuum analyses a table
 * a while after it changed, if it runs at all (it is off on the machines the benchmarks run on):
 * right after a national import, before it has come round, the planner guesses just the same.
 * Guessing, it took few structures to be active and read a keyset page
 * (`id > $1 order by id limit 5000`) by scanning and sorting every row after `$1`. On the embedded
 * database, 41 pages of stamps took 10 s (the worst 723 ms, every request held meanwhile) instead
 * of 1.7 s (98 ms) once analysed. On a server, the 200,000 structures a nightly run's worker reads
 * took 19.0 s (a page 600 ms, sorted on disk) instead of 3.1 s (45 ms), for an analysis of 1.6 s.
 *
 * A table is analysed when it never was (`pg_class.reltuples` < 0), or when `changed` rows are
 * more than a tenth of what its last analysis counted (autovacuum's default rule, applied at once
 * instead of at its next round).
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type Store } from './open.ts';

/** The tables whose plans matter at scale (keyset pages, lookups by id). */
export const RECORD_TABLES = ['structures', 'resources'] as const;
export type AnalysedTable = (typeof RECORD_TABLES)[number];

/** Analyses the tables that need it; returns those analysed. */
export async function refreshPlannerStats(
  store: Pick<Store, 'db'>, tables: readonly AnalysedTable[], changed = 0,
): Promise<AnalysedTable[]> {
  const done: AnalysedTable[] = [];
  for (const table of tables) {
    const [row] = await rowsOf<{ tuples: number }>(store.db, sql`select reltuples::float8 as tuples from pg_class where oid = to_regclass(${table})`);
    if (!row) continue;
    const tuples = Number(row.tuples);
    if (tuples >= 0 && changed <= tuples / 10) continue;
    await rowsOf(store.db, sql.raw(`analyze ${table}`));
    done.push(table);
  }
  return done;
}
