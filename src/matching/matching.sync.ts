/**
 * The one way the index follows the store. At start, from the latest snapshot whose key matches
 * this code and thesaurus (see matching.snapshot.ts), brought up to date with the rows changed
 * since it was taken (archived ones removed); without one, built from every active record read
 * in pages in the form the engine indexes, then saved as the next snapshot. Afterwards, record by
 * record (applyChange) or by catching up with the rows changed since an instant. Every process
 * (API, command line, batch, trainer) loads its index this way; each long step yields to the event
 * loop, so that a service keeps answering /healthz and /readyz while it loads.
 */
import { setImmediate as turn } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type { Store } from '../db/open.ts';
import { RECORD_TABLES, refreshPlannerStats } from '../db/planner.ts';
import { toEntity } from '../domain/entity.ts';
import type { EntityKind, Resource, Structure } from '../domain/types.ts';
import { Index } from '../engine/index.ts';
import { decodeIndex, encodeIndex, indexState, readHeader } from '../engine/snapshot.ts';
import { createRecordsRepository, type RecordStamps } from '../records/records.repository.ts';
import type { Thesaurus } from '../text/thesaurus.ts';
import { loadMatchingFiles, type MatchingFiles } from './matching.models.ts';
import { sharedCopyOf, sharedJoin, snapshotKey, type SnapshotStorage, type StoredSnapshot } from './matching.snapshot.ts';
import { createMatching, type Matching } from './matching.usecases.ts';
import type { LoadProgress } from './matching.stages.ts';

export { STAGE_LABELS, type LoadProgress, type LoadStage } from './matching.stages.ts';

export interface LoadOptions {
  /** Where snapshots are kept; none: always a full build, nothing saved. */
  snapshots?: SnapshotStorage;
  onProgress?: (progress: LoadProgress) => void;
  /** Told why a snapshot was not used (another key, unreadable): the index is rebuilt. */
  onSnapshotRejected?: (reason: string) => void;
  /**
   * Built from the records without reading any snapshot (the caller knows none is valid: see
   * staleSnapshot); `save` and `encode` are offered all the same.
   */
  rebuild?: boolean;
  /**
   * An index weighed as a build weighs it (the nightly run): a snapshot caught up with changed
   * records has every vector weighed again with the idf of now (Index.withCurrentIdf), and `save`
   * and `encode` are offered as after a build. A snapshot behind by more than MAX_CAUGHT_UP_SHARE
   * of its records is not caught up (record by record, that costs more than a build): the index is built.
   */
  exact?: boolean;
  /**
   * Only rows changed before this instant are caught up (the worker's, given to each of its ranking
   * threads: their indexes, each caught up on its own, then hold the same records).
   */
  until?: Date;
}

/**
 * The share of a snapshot's records that may have changed since for an exact load to catch it up
 * rather than build. At national scale (250,000 records), a build analyses every record (80 s on
 * the nightly run's machine); a catch-up reads and decodes the snapshot (about 35 s), analyses the
 * changed records one by one (about 0.3 ms each) and weighs every vector again (a few seconds).
 */
export const MAX_CAUGHT_UP_SHARE = 0.25;

/** Why an exact load builds rather than catching up a snapshot that is too far behind. */
export const TOO_FAR_BEHIND = 'trop de fiches ont changé depuis pour le rattraper';

export interface LoadedIndex {
  index: Index;
  /** When the indexed records last changed (complete after a build; after a snapshot, once `fill` is done). */
  stamps: RecordStamps;
  /** Reads the stamps a snapshot does not hold (ids and instants only): to call once ready. */
  fill?: () => Promise<void>;
  from: 'snapshot' | 'build';
  /** Rows applied after loading the snapshot (changed or archived since it was taken). */
  caughtUp: number;
  /** The database instant every change committed before is in the index: where following other writers starts. */
  since: Date;
  /** Saves the index as the next snapshot (after a full build, or an exact catch-up): to call once ready, or at once. */
  save?: () => Promise<number>;
  /**
   * After a full build (or an exact catch-up), the snapshot `save` would write, encoded into memory that threads share, and
   * its save from those bytes: a process whose threads load the index (the nightly run's worker)
   * hands them the bytes at once, and saves them for the next start meanwhile.
   */
  encode?: () => Promise<EncodedSnapshot>;
}

/** A snapshot encoded in memory (shared with threads: see bytesSnapshots), and its save to the storage. */
export interface EncodedSnapshot { bytes: SharedArrayBuffer; save(): Promise<number> }

const DB_NOW = sql`select now() as now`;

/** The database's clock (the instant its changes are stamped with, whatever this machine's clock says). */
export async function databaseNow(store: Store): Promise<Date> {
  const [{ now }] = await store.rows<{ now: Date | string }>(DB_NOW);
  return new Date(now);
}

/**
 * The instant a full read starts from, for the next catch-up: the database's clock, or earlier
 * when an import still running started before (its rows carry its start time but appear at its
 * commit; see records.repository.ts).
 */
async function watermark(store: Store): Promise<Date> {
  const at = await databaseNow(store);
  const [{ started }] = await store.rows<{ started: Date | string | null }>(
    sql`select min(started_at) as started from import_runs where finished_at is null and started_at > now() - interval '1 day'`);
  return started && new Date(started) < at ? new Date(started) : at;
}

/** Every active record of the store, read in pages. */
async function readAll(store: Store, stamps: RecordStamps, onProgress: (p: LoadProgress) => void) {
  const repository = createRecordsRepository(store);
  const { structures: ns, resources: nr } = await repository.countActive();
  const structures: Structure[] = [];
  const resources: Resource[] = [];
  const tell = () => onProgress({ stage: 'reading_records', records: structures.length + resources.length, total: ns + nr });
  for await (const row of repository.streamEntities('structure')) {
    stamps.structure.set(row.entity.id, row.updatedAt);
    if (structures.push(row.entity) % 25_000 === 0) tell();
  }
  for await (const row of repository.streamEntities('resource')) {
    stamps.resource.set(row.entity.id, row.updatedAt);
    if (resources.push(row.entity) % 25_000 === 0) tell();
  }
  tell();
  return { structures, resources };
}

export const emptyStamps = (): RecordStamps => ({ structure: new Map(), resource: new Map() });

export async function buildIndexFromStore(
  store: Store, thesaurus: Thesaurus, onProgress: (p: LoadProgress) => void = () => {}, stamps = emptyStamps(),
): Promise<Index> {
  const data = await readAll(store, stamps, onProgress);
  const total = data.structures.length + data.resources.length;
  onProgress({ stage: 'building_index', records: 0, total: 2 * total });
  const steps = Index.building(thesaurus, data);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    const { phase, records } = step.value;
    if (records % 20_000 === 0) onProgress({ stage: 'building_index', records: phase === 'analysing' ? records : total + records, total: 2 * total });
    await turn();
  }
}

/** A record's change, pushed to the index: upserted, or removed when archived. */
export function applyChange(index: Index, kind: EntityKind, change: { record: Structure | Resource | { id: string }; place: Structure['place']; archivedAt?: Date | null }): void {
  if (change.archivedAt) index.remove(kind, change.record.id);
  else if (kind === 'structure') index.upsertStructure(toEntity('structure', change.record as Structure, change.place));
  else index.upsertResource(toEntity('resource', change.record as Resource, change.place));
}

/**
 * Pushes every row of `kind` changed since `since` to the index (archived ones removed); returns how
 * many. `stamps` (id → updated_at) are kept up to date; with `skipKnown`, a row whose instant equals
 * its stamp is already in the index as it is and is left alone (a national import committed just
 * before a start: 250,000 records re-applied took 80 s and 1.5 GB).
 */
export async function catchUp(
  store: Store, index: Index, kind: EntityKind, since: Date, stamps?: Map<string, number>, skipKnown = false, until?: Date,
): Promise<number> {
  const repository = createRecordsRepository(store);
  let n = 0;
  for await (const { entity, archived, updatedAt } of repository.streamEntities(kind, { since, until, withArchived: true })) {
    if (skipKnown && !archived && stamps?.get(entity.id) === updatedAt) continue;
    n += 1;
    if (stamps) { if (archived) stamps.delete(entity.id); else stamps.set(entity.id, updatedAt); }
    if (archived) index.remove(kind, entity.id);
    else if (kind === 'structure') index.upsertStructure(entity as Structure);
    else index.upsertResource(entity as Resource);
  }
  return n;
}

/** The parts of an index's snapshot as it is now, yielding to the event loop between them. */
async function* snapshotParts(index: Index, key: string, since: Date): AsyncGenerator<Uint8Array> {
  const state = indexState(index);
  const meta = { since: since.toISOString(), savedAt: new Date().toISOString(), structures: state.structure.length, resources: state.resource.length };
  for (const part of encodeIndex(state, key, meta)) {
    yield part;
    await turn();
  }
}

/** Saves an index's state, as it is now, as the latest snapshot; yields to the event loop between parts. */
export async function saveSnapshot(index: Index, storage: SnapshotStorage, key: string, since: Date): Promise<number> {
  return storage.write(snapshotParts(index, key, since), key);
}

/** Bytes handed to the storage at a time when an encoded snapshot is saved. */
const SAVE_PIECE = 4 * 2 ** 20;

/** An index's snapshot encoded into shared memory, and its save from those bytes (EncodedSnapshot). */
export async function encodeSnapshot(index: Index, storage: SnapshotStorage, key: string, since: Date): Promise<EncodedSnapshot> {
  const parts: Uint8Array[] = [];
  for await (const part of snapshotParts(index, key, since)) parts.push(part);
  const bytes = sharedJoin(parts);
  parts.length = 0;
  const all = new Uint8Array(bytes), size = bytes.byteLength;
  async function* pieces() {
    // Copies into ordinary memory: what a socket or a file is given is never shared with a thread.
    for (let from = 0; from < size; from += SAVE_PIECE) {
      yield all.slice(from, from + SAVE_PIECE);
      await turn();
    }
  }
  return { bytes, save: () => storage.write(pieces(), key) };
}

/** A stored snapshot's instant if it is one of this key, else why it is not to be used. */
async function readValid(stored: StoredSnapshot, key: string): Promise<{ since: Date; records: number } | { rejected: string }> {
  const header = await readHeader(stored.read, stored.size);
  if (!header) return { rejected: 'format inconnu ou fichier incomplet' };
  if (header.key !== key) return { rejected: `fait pour une autre version (${header.key}), attendu ${key}` };
  const since = new Date(String(header.meta.since));
  if (Number.isNaN(since.getTime())) return { rejected: 'date de l’instantané illisible' };
  return { since, records: Number(header.meta.structures ?? 0) + Number(header.meta.resources ?? 0) };
}

/**
 * Why the latest snapshot cannot be loaded as an exact index of the store (none, another version,
 * or records changed since it was taken: SNAPSHOT_BEHIND, and then `changed` says how many of the
 * `records` it holds), or no `stale` when it can. Reads its header only (`peek`), not the whole
 * snapshot: one whose header is whole but whose body cannot be decoded (snapshots are written whole
 * before they count, so only a damaged disk or table gives one) is judged current here, and each
 * reader that fails to decode it builds instead and says why.
 */
export async function snapshotStanding(store: Store, files: MatchingFiles, snapshots: SnapshotStorage): Promise<{ stale?: string; changed?: number; records?: number }> {
  const stored = await (snapshots.peek ? snapshots.peek() : snapshots.open());
  if (!stored) return { stale: 'aucun instantané' };
  const read = await readValid(stored, keyOf(files))
    .catch((e: unknown) => ({ rejected: `illisible : ${(e as Error).message}` }))
    .finally(() => stored.close());
  if ('rejected' in read) return { stale: read.rejected };
  // The rows catchUp would apply (archived ones included): none, and a load is a build's index.
  // A database error here is the caller's (a shard retried), not a reason to rebuild.
  const changed = await changedSince(store, read.since);
  return { ...(changed > 0 ? { stale: SNAPSHOT_BEHIND } : {}), changed, records: read.records };
}

/**
 * The latest snapshot's bytes, copied into memory that threads share, when it is of this version;
 * else why not (none, another version, unreadable: the caller builds instead).
 */
export async function snapshotBytes(files: MatchingFiles, snapshots: SnapshotStorage): Promise<SharedArrayBuffer | { rejected: string }> {
  try {
    const stored = await snapshots.open();
    if (!stored) return { rejected: 'aucun instantané' };
    try {
      const read = await readValid(stored, keyOf(files));
      return 'rejected' in read ? read : await sharedCopyOf(stored);
    } finally {
      await stored.close();
    }
  } catch (e) {
    return { rejected: `illisible : ${(e as Error).message}` };
  }
}

/** Why snapshotStanding finds a snapshot of this version behind the records: an exact load catches it up. */
export const SNAPSHOT_BEHIND = 'des fiches ont changé depuis';

/** The key a snapshot must carry to be loaded with these files (matching.snapshot.ts). */
const keyOf = (files: MatchingFiles): string => snapshotKey(files.thesaurus, files.thesaurusDigest ?? files.thesaurus.version);

/** The index from the latest valid snapshot, caught up; undefined (with the reason told) when there is none to trust. */
async function fromSnapshot(store: Store, files: MatchingFiles, key: string, options: LoadOptions): Promise<LoadedIndex | undefined> {
  const { snapshots, onProgress = () => {}, onSnapshotRejected = () => {} } = options;
  if (!snapshots) return undefined;
  onProgress({ stage: 'loading_snapshot' });
  const stored = await snapshots.open();
  if (!stored) return undefined;
  let open = true;
  const close = async () => { if (open) { open = false; await stored.close(); } };
  try {
    const read = await readValid(stored, key);
    if ('rejected' in read) return void onSnapshotRejected(read.rejected);
    const { since, records } = read;
    if (options.exact && await changedSince(store, since) > MAX_CAUGHT_UP_SHARE * records) return void onSnapshotRejected(TOO_FAR_BEHIND);
    const decoded = await decodeIndex(files.thesaurus, stored.read, stored.size, (p) =>
      onProgress({ stage: 'loading_snapshot', records: p.records }));
    let index = decoded.index;
    await close(); // its bytes (a whole snapshot in memory, read from the table) let go before the catch-up
    onProgress({ stage: 'catching_up' });
    const complete = await watermark(store);
    const stamps = emptyStamps();
    const caughtUp = await catchUp(store, index, 'structure', since, stamps.structure, false, options.until)
      + await catchUp(store, index, 'resource', since, stamps.resource, false, options.until);
    const repository = createRecordsRepository(store);
    const fill = async () => {
      await repository.loadStamps('structure', stamps.structure);
      await repository.loadStamps('resource', stamps.resource);
    };
    if (!options.exact || caughtUp === 0) return { index, stamps, fill, from: 'snapshot', caughtUp, since: complete };
    index = index.withCurrentIdf();
    return { index, stamps, fill, from: 'snapshot', caughtUp, since: complete, ...savers(index, snapshots, key, complete, onProgress) };
  } catch (e) {
    onSnapshotRejected(`illisible : ${(e as Error).message}`);
    return undefined;
  } finally {
    await close();
  }
}

/** The index of a store: from its snapshot when one matches, else built (and `save` offered). */
export async function loadIndex(store: Store, files: MatchingFiles, options: LoadOptions = {}): Promise<LoadedIndex> {
  // Record tables never analysed (an embedded folder imported by an older version, a server whose
  // autovacuum is off or has not come round since a bulk load) get their planner statistics first:
  // the pages read below, and after start, depend on them (see db/planner.ts).
  await refreshPlannerStats(store, RECORD_TABLES).catch(() => []);
  const key = keyOf(files);
  const loaded = options.rebuild ? undefined : await fromSnapshot(store, files, key, options);
  if (loaded) return loaded;
  const since = await watermark(store);
  const stamps = emptyStamps();
  const index = await buildIndexFromStore(store, files.thesaurus, options.onProgress, stamps);
  const { snapshots } = options;
  return { index, stamps, from: 'build', caughtUp: 0, since, ...(snapshots ? savers(index, snapshots, key, since, options.onProgress) : {}) };
}

/** `save` and `encode` of an index that a snapshot should keep (built, or caught up exactly). */
function savers(index: Index, snapshots: SnapshotStorage, key: string, since: Date, onProgress?: (p: LoadProgress) => void): Pick<LoadedIndex, 'save' | 'encode'> {
  return {
    save: () => {
      onProgress?.({ stage: 'saving_snapshot' });
      return saveSnapshot(index, snapshots, key, since);
    },
    encode: () => encodeSnapshot(index, snapshots, key, since),
  };
}

/** Rows changed since an instant (archived ones included): what a catch-up from it would apply. */
async function changedSince(store: Store, since: Date): Promise<number> {
  const at = since.toISOString();
  const [{ n }] = await store.rows<{ n: number | string }>(sql`select (select count(*) from structures where updated_at >= ${at}::timestamptz)
    + (select count(*) from resources where updated_at >= ${at}::timestamptz) as n`);
  return Number(n);
}

export interface OpenMatchingOptions extends LoadOptions {
  files?: MatchingFiles;
  now?: () => Date;
}

/**
 * Matching over the store: the files of `models/`, the index (from the snapshot when one matches,
 * else built and saved before returning), the clock. For a process that must answer while it
 * saves, use loadIndex.
 */
export async function openMatching(store: Store, options: OpenMatchingOptions = {}): Promise<Matching> {
  const files = options.files ?? loadMatchingFiles();
  const loaded = await loadIndex(store, files, options);
  await loaded.save?.();
  await loaded.fill?.();
  return createMatching({ index: loaded.index, stamps: loaded.stamps, model: files.model, now: options.now });
}
