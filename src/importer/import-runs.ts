/** The import_runs table: one row per import that went through, written in the import's transaction. */
import type { Db } from '../db/open.ts';
import { importRuns } from '../db/schema.ts';
import type { EntityKind } from '../domain/types.ts';

export interface ImportRun {
  kind: EntityKind;
  source: string;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/**
 * Inserts the run and returns its id. started_at is left to the database: inside the import's
 * transaction `now()` is the transaction time, the very updated_at of the rows it wrote, which
 * lets the engine refresh from it (see records.repository.ts).
 */
export async function recordImportRun(tx: Db, run: ImportRun): Promise<number> {
  const [row] = await tx.insert(importRuns).values({ ...run, finishedAt: new Date() }).returning({ id: importRuns.id });
  return row.id;
}
