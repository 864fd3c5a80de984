/**
 * Index snapshots over a real store (both databases): a snapshot is used only when it was made by
 * this code with this thesaurus, and a service that was down catches up with what changed.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/db/open.ts';
import { OPERATOR } from '../../src/access/access.policy.ts';
import { loadGeography } from '../../src/geo/geography.ts';
import { loadMatchingFiles } from '../../src/matching/matching.models.ts';
import { fileSnapshots, tableSnapshots, type SnapshotStorage } from '../../src/matching/matching.snapshot.ts';
import { buildIndexFromStore, loadIndex, saveSnapshot, snapshotBytes, snapshotStanding, TOO_FAR_BEHIND } from '../../src/matching/matching.sync.ts';
import { createMatching } from '../../src/matching/matching.usecases.ts';
import { readHeader } from '../../src/engine/snapshot.ts';
import type { Index } from '../../src/engine/index.ts';
import { byTerm } from '../support/vectors.ts';
import { sql } from 'drizzle-orm';
import { createRecords } from '../../src/records/records.usecases.ts';
import { importDevSet, newStructure } from '../api/support.ts';
import { goldenLines, type GoldenQuery } from '../support/golden.ts';
import { openTestStore, storeKinds } from '../support/stores.ts';

const files = loadMatchingFiles();

/** The key of the latest snapshot a storage holds. */
async function readHeaderOf(storage: SnapshotStorage): Promise<string | undefined> {
  const stored = await storage.open();
  if (!stored) return undefined;
  try { return (await readHeader(stored.read, stored.size))?.key; } finally { await stored.close(); }
}
const geography = loadGeography();


describe.each(storeKinds())('index snapshots on %s', (kind) => {
  let store: Store;
  let snapshots: SnapshotStorage;
  let dir: string;
  const rejected: string[] = [];
  const load = () => loadIndex(store, files, { snapshots, onSnapshotRejected: (r) => rejected.push(r) });

  beforeAll(async () => {
    store = await openTestStore(kind);
    await importDevSet(store, geography);
    dir = mkdtempSync(join(tmpdir(), 'passerelles-snapshot-'));
    snapshots = kind === 'postgres' ? tableSnapshots(store) : fileSnapshots(join(dir, 'data.index'));
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds the index when there is no snapshot, saves it, and loads it the next time without analysing anything', async () => {
    const first = await load();
    expect(first.from).toBe('build');
    expect(await first.save!()).toBeGreaterThan(1000);
    const second = await load();
    expect(second).toMatchObject({ from: 'snapshot', caughtUp: 0 });
    expect(second.index.stats()).toEqual({ ...first.index.stats(), builtInMs: second.index.builtInMs });
  });

  it('ranks from a snapshot exactly as an index freshly built from the store', async () => {
    const fresh = await buildIndexFromStore(store, files.thesaurus);
    const loaded = await load();
    expect(loaded.from).toBe('snapshot');
    const queries: GoldenQuery[] = [
      ...fresh.structures.liveInSlotOrder().map((p) => ({ kind: 'structure' as const, id: p.entity.id, includeExcluded: true })),
      ...fresh.resources.liveInSlotOrder().map((p) => ({ kind: 'resource' as const, id: p.entity.id, includeExcluded: false })),
    ];
    expect(goldenLines(createMatching({ index: loaded.index, model: files.model }), queries))
      .toEqual(goldenLines(createMatching({ index: fresh, model: files.model }), queries));
  });

  it('rebuilds instead of trusting a snapshot made by another version of the code or thesaurus', async () => {
    const { index } = await load();
    await saveSnapshot(index, snapshots, 'format 0 · code ancien · thésaurus 2020-01-01', new Date());
    rejected.length = 0;
    const again = await load();
    expect(again.from).toBe('build');
    expect(rejected.join()).toMatch(/autre version \(format 0 · code ancien/);
    await again.save!();
    expect((await load()).from).toBe('snapshot');
  });

  it('rebuilds instead of reading a damaged snapshot', async () => {
    if (kind === 'postgres') return; // a snapshot in the table is read only once all its rows are written
    writeFileSync(join(dir, 'data.index'), 'PSNX tronqué');
    rejected.length = 0;
    const again = await load();
    expect(again.from).toBe('build');
    expect(rejected).toHaveLength(1);
    await again.save!();
  });

  it('on a server, keeps a local copy of the latest snapshot, refreshed when another instance saves a newer one', async () => {
    if (kind !== 'postgres') return;
    const copy = join(dir, 'copie.index');
    const withCopy = tableSnapshots(store, copy);
    const first = await loadIndex(store, files, { snapshots: withCopy });
    expect(first.from).toBe('snapshot');
    expect(readFileSync(`${copy}.id`, 'utf8')).toMatch(/^snap_/);
    const before = readFileSync(`${copy}.id`, 'utf8');
    await saveSnapshot(first.index, snapshots, (await readHeaderOf(withCopy))!, new Date()); // another instance, table only
    expect((await loadIndex(store, files, { snapshots: withCopy })).from).toBe('snapshot');
    expect(readFileSync(`${copy}.id`, 'utf8')).not.toBe(before);
    expect(statSync(copy).size).toBe((await snapshots.open())!.size);
  });

  it('on a server, writes a snapshot by one binary COPY and reads it back byte for byte across its rows of 4 MB', async () => {
    if (kind !== 'postgres') return;
    const statements: string[] = [];
    const copying = tableSnapshots({ db: store.db, copyIn: (statement) => { statements.push(statement); return store.copyIn!(statement); } });
    const bytes = Uint8Array.from({ length: 9 * 2 ** 20 + 12_345 }, (_, i) => (i * 31 + (i >> 12)) & 0xff);
    // parts of uneven lengths, one of them longer than a row
    async function* parts() { for (const [from, to] of [[0, 1000], [1000, 5 * 2 ** 20], [5 * 2 ** 20, bytes.length]]) yield bytes.subarray(from, to); }
    expect(await copying.write(parts(), 'k')).toBe(bytes.length);
    expect(statements).toEqual([expect.stringMatching(/^copy index_snapshot_chunks .* from stdin \(format binary\)$/)]);
    const stored = (await copying.open())!;
    expect(stored.size).toBe(bytes.length);
    expect(Buffer.compare(await stored.read(0, bytes.length), bytes)).toBe(0);
    expect(Array.from(await stored.read(4 * 2 ** 20 - 3, 6))).toEqual(Array.from(bytes.subarray(4 * 2 ** 20 - 3, 4 * 2 ** 20 + 3)));
    await stored.close();
    // A reader without a local copy (a ranking thread of the nightly run) takes the whole snapshot by one binary COPY.
    const copies: string[] = [];
    const direct = (await tableSnapshots({ db: store.db, copyOut: (statement) => { copies.push(statement); return store.copyOut!(statement); } }).open())!;
    expect(direct.size).toBe(bytes.length);
    expect(Array.from(await direct.read(bytes.length - 5, 5))).toEqual(Array.from(bytes.subarray(bytes.length - 5)));
    expect(Buffer.compare(await direct.read(0, bytes.length), bytes)).toBe(0);
    expect(Array.from(await direct.read(8 * 2 ** 20 - 2, 4))).toEqual(Array.from(bytes.subarray(8 * 2 ** 20 - 2, 8 * 2 ** 20 + 2)));
    await direct.close();
    await expect(direct.read(0, 5)).rejects.toThrow(/lu après sa fermeture/); // its copy let go when closed
    expect(copies).toEqual([expect.stringMatching(/^copy \(select bytes from index_snapshot_chunks where snapshot_id = 'snap_\w+' order by seq\) to stdout \(format binary\)$/)]);
    // Another machine's first start: its local copy comes by one binary COPY out of the table, byte for byte.
    const copy = join(dir, 'copie-binaire.index');
    const out: string[] = [];
    const fresh = tableSnapshots({ db: store.db, copyOut: (statement) => { out.push(statement); return store.copyOut!(statement); } }, copy);
    const local = (await fresh.open())!;
    expect(out).toEqual([expect.stringMatching(/^copy \(select bytes from index_snapshot_chunks where snapshot_id = 'snap_\w+' order by seq\) to stdout \(format binary\)$/)]);
    expect(Buffer.compare(readFileSync(copy), bytes)).toBe(0);
    expect(Buffer.compare(await local.read(0, bytes.length), bytes)).toBe(0);
    await local.close();
    await (await load()).save!(); // a valid snapshot again for what follows
  });

  it('makes a record changed, created or archived while the service was down matchable (or not) after start', async () => {
    expect((await load()).from).toBe('snapshot');
    // The service is down: the records change in the store only (no index to push to).
    const records = createRecords({ store, geography });
    await records.create(OPERATOR, 'structure', newStructure('dev-new-1', {
      need_text: 'Nous cherchons un local partagé pour un atelier de réparation de vélos à Rennes.', needs: ['premises'],
    }));
    await records.patch(OPERATOR, 'structure', 'dev-s06', { need_text: 'Un véhicule électrique pour nos tournées de livraison.' });
    await records.archive(OPERATOR, 'resource', 'dev-r01');
    const back = await load();
    expect(back.from).toBe('snapshot');
    expect(back.caughtUp).toBe(3);
    const matching = createMatching({ index: back.index, model: files.model });
    expect(matching.forStructure('dev-new-1', { limit: 5 }).results.length).toBeGreaterThan(0);
    expect(back.index.getStructure('dev-s06')?.need_text).toMatch(/véhicule électrique/);
    expect(back.index.getResource('dev-r01')).toBeUndefined();
    expect(() => matching.forResource('dev-r01')).toThrow(/introuvable/);
  });
  it('tells the nightly run, from the header alone, whether the latest snapshot holds the store as it is, and rebuilds without reading it when asked to', async () => {
    // On a server the header is read from the table's rows, without copying the whole snapshot.
    const headerOnly: SnapshotStorage = kind === 'postgres' ? { ...snapshots, open: async () => { throw new Error('instantané copié en entier'); } } : snapshots;
    expect((await snapshotStanding(store, files, fileSnapshots(join(dir, 'absent.index')))).stale).toBe('aucun instantané');
    rejected.length = 0;
    const rebuilt = await loadIndex(store, files, { snapshots, rebuild: true, onSnapshotRejected: (r) => rejected.push(r) });
    expect([rebuilt.from, rejected]).toEqual(['build', []]);
    await rebuilt.save!();
    expect((await snapshotStanding(store, files, headerOnly)).stale).toBeUndefined();
    // A record changed (archived, here) after the snapshot was taken: a load would catch up, not build.
    await createRecords({ store, geography }).archive(OPERATOR, 'resource', 'dev-r02');
    expect(await snapshotStanding(store, files, headerOnly)).toMatchObject({ stale: 'des fiches ont changé depuis', changed: 1 });
    await saveSnapshot(rebuilt.index, snapshots, 'format 0 · code ancien · thésaurus 2020-01-01', new Date());
    expect((await snapshotStanding(store, files, headerOnly)).stale).toMatch(/^fait pour une autre version \(format 0 · code ancien/);
  });

  it('catches a snapshot up for the nightly run as a build weighs the records (and offers to save it), or builds when too many changed since', async () => {
    await (await loadIndex(store, files, { snapshots, rebuild: true })).save!();
    await store.db.execute(sql`update structures set updated_at = now(),
      record = record || '{"need_text": "Nous cherchons une chambre froide et un vélo-cargo pour livrer nos paniers solidaires"}'::jsonb where id = 'dev-s03'`);
    const fresh = await buildIndexFromStore(store, files.thesaurus);
    rejected.length = 0;
    const exact = await loadIndex(store, files, { snapshots, exact: true, onSnapshotRejected: (r) => rejected.push(r) });
    expect([exact.from, exact.caughtUp, rejected, typeof exact.save, typeof exact.encode]).toEqual(['snapshot', 1, [], 'function', 'function']);
    const stale = await load();
    expect([stale.from, stale.caughtUp, stale.save]).toEqual(['snapshot', 1, undefined]);
    const vectors = (index: Index) => index.structures.liveInSlotOrder().map((p) => [p.entity.id, byTerm(index, p.vector), byTerm(index, p.needVector)]);
    expect(vectors(exact.index)).toEqual(vectors(fresh));
    expect(vectors(stale.index)).not.toEqual(vectors(fresh)); // the others' idf of the snapshot's day
    // Saved, it is the next night's snapshot: nothing to catch up then.
    await exact.save!();
    expect((await snapshotStanding(store, files, snapshots)).stale).toBeUndefined();
    // Every structure changed since: analysing them one by one would cost more than a build.
    await store.db.execute(sql`update structures set updated_at = now()`);
    rejected.length = 0;
    const built = await loadIndex(store, files, { snapshots, exact: true, onSnapshotRejected: (r) => rejected.push(r) });
    expect([built.from, rejected]).toEqual(['build', [TOO_FAR_BEHIND]]);
  });

  it('catches up only the rows changed before `until`, so that readers given the same instant hold the same records', async () => {
    await (await loadIndex(store, files, { snapshots, rebuild: true })).save!();
    const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
    await store.db.execute(sql`update structures set updated_at = now(),
      record = record || '{"need_text": "Une chambre froide pour nos paniers"}'::jsonb where id = 'dev-s04'`);
    await pause();
    const [{ now }] = await store.rows<{ now: Date | string }>(sql`select now() as now`);
    await pause();
    await store.db.execute(sql`update structures set updated_at = now(),
      record = record || '{"need_text": "Un vélo-cargo pour nos tournées"}'::jsonb where id = 'dev-s05'`);
    const until = await loadIndex(store, files, { snapshots, exact: true, until: new Date(now) });
    expect([until.from, until.caughtUp]).toEqual(['snapshot', 1]);
    expect(until.index.getStructure('dev-s04')?.need_text).toBe('Une chambre froide pour nos paniers');
    expect(until.index.getStructure('dev-s05')?.need_text).not.toBe('Un vélo-cargo pour nos tournées');
    expect((await loadIndex(store, files, { snapshots, exact: true })).caughtUp).toBe(2);
  });

  it('hands over a snapshot\'s bytes in memory that threads share only when it is of this version', async () => {
    const fresh = await loadIndex(store, files, { snapshots, rebuild: true });
    const size = await fresh.save!();
    const bytes = await snapshotBytes(files, snapshots);
    expect(bytes instanceof SharedArrayBuffer && bytes.byteLength).toBe(size);
    expect(await snapshotBytes(files, fileSnapshots(join(dir, 'absent.index')))).toEqual({ rejected: 'aucun instantané' });
    await saveSnapshot(fresh.index, snapshots, 'format 0 · code ancien · thésaurus 2020-01-01', new Date());
    expect(await snapshotBytes(files, snapshots)).toEqual({ rejected: expect.stringMatching(/^fait pour une autre version/) });
  });
});
