/**
 * The one way the index follows the store: built from every active record, read in pages; then
 * brought up to date with the rows changed since an instant (archived ones removed). Every
 * process (API, command line, batch, trainer) builds and refreshes its index this way.
 */
import type { Store } from '../db/open.ts';
import { toEntity } from '../domain/entity.ts';
import type { EntityKind, Resource, Structure } from '../domain/types.ts';
import { Index } from '../engine/index.ts';
import { createRecordsRepository } from '../records/records.repository.ts';
import type { Thesaurus } from '../text/thesaurus.ts';
import { loadMatchingFiles, type MatchingFiles } from './matching.models.ts';
import { createMatching, type Matching } from './matching.usecases.ts';

export async function buildIndexFromStore(store: Store, thesaurus: Thesaurus): Promise<Index> {
  const repo = createRecordsRepository(store);
  const structures: Structure[] = [];
  const resources: Resource[] = [];
  for await (const row of repo.streamActive('structure')) structures.push(toEntity('structure', row.record, row.place));
  for await (const row of repo.streamActive('resource')) resources.push(toEntity('resource', row.record, row.place));
  return Index.build(thesaurus, { structures, resources });
}

/** A record's change, pushed to the index: upserted, or removed when archived. */
export function applyChange(index: Index, kind: EntityKind, change: { record: Structure | Resource | { id: string }; place: Structure['place']; archivedAt?: Date | null }): void {
  if (change.archivedAt) index.remove(kind, change.record.id);
  else if (kind === 'structure') index.upsertStructure(toEntity('structure', change.record as Structure, change.place));
  else index.upsertResource(toEntity('resource', change.record as Resource, change.place));
}

/** Pushes every row of `kind` changed since `since` to the index; returns how many. */
export async function catchUp(store: Store, index: Index, kind: EntityKind, since: Date): Promise<number> {
  const repository = createRecordsRepository(store);
  let n = 0;
  for await (const row of repository.streamActive(kind, { since, withArchived: true })) {
    n += 1;
    applyChange(index, kind, row);
  }
  return n;
}

/** Matching over the store: the files of `models/`, the index built from the store, the clock. */
export async function openMatching(store: Store, options: { files?: MatchingFiles; now?: () => Date } = {}): Promise<Matching> {
  const files = options.files ?? loadMatchingFiles();
  const index = await buildIndexFromStore(store, files.thesaurus);
  return createMatching({ index, model: files.model, now: options.now });
}
