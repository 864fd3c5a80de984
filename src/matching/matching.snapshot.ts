/**
 * Where index snapshots live, and what makes one valid.
 *
 * - The embedded database keeps its snapshot in a FILE beside its data folder (`.data` →
 *   `.data.index`, like its lock file): one process opens that database at a time, on this disk,
 *   and half a gigabyte of bytes would only slow PGlite (WebAssembly memory) and double its folder.
 * - A PostgreSQL server keeps it in a TABLE (index_snapshots, in rows of 4 MB written by one binary
 *   COPY, bytes as they are): every instance of the service, the batch and the trainer, on any
 *   machine, starts from it; it follows the data it describes (backups, restores, another server). Reading half a gigabyte of bytea through the
 *   driver takes seconds (hex text), so each machine keeps a copy of the latest one in a local file
 *   (beside PASSERELLES_DATA_DIR), used while the table's latest snapshot is that same one.
 *
 * The key of a snapshot is a hash of what the index depends on: the snapshot format, the sources
 * of the text analysis, the profiles, the retrieval structures and the index (their files, read
 * at start), the version of the stemmer's package, and the thesaurus (its version and the hash of
 * its file). Any difference means a full rebuild: a snapshot is never trusted blindly. The ranking
 * model is not part of it: the index does not depend on it (a request carries its model), so a
 * promotion does not throw the index away.
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { and, desc, eq, isNotNull, ne, sql } from 'drizzle-orm';
import type { Store } from '../db/open.ts';
import { indexSnapshotChunks, indexSnapshots } from '../db/schema.ts';
import { SNAPSHOT_FORMAT, type ReadBytes } from '../engine/snapshot.ts';
import type { Thesaurus } from '../text/thesaurus.ts';

/** A stored snapshot, open for reading. */
export interface StoredSnapshot { size: number; read: ReadBytes; close(): Promise<void> }

export interface SnapshotStorage {
  /** Where, for logs and messages. */
  where: string;
  /** The latest complete snapshot, or undefined. */
  open(): Promise<StoredSnapshot | undefined>;
  /**
   * The same, to read a few parts of it (its header): where `open` copies the whole snapshot first
   * (a table on a server, by one COPY), it is read a row at a time instead. Without it, `open`.
   */
  peek?(): Promise<StoredSnapshot | undefined>;
  /** Writes a snapshot part after part (`parts` may yield to the event loop), replacing the previous one when complete. */
  write(parts: AsyncIterable<Uint8Array>, key: string): Promise<number>;
}

// ---------- the key ----------

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The sources the built index depends on (folders whole, or single files), relative to src/. */
const INDEX_SOURCES = ['text', 'retrieval', 'profiles', 'domain', 'engine/index.ts', 'engine/areas.ts', 'engine/snapshot.ts'];

function sourceFiles(path: string): string[] {
  const full = join(SRC, path);
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|json)$/.test(f)).sort().map((f) => join(full, f));
}

let codeDigest: string | undefined;

/** Hash of the sources the index depends on and of the stemmer's version (computed once per process). */
export function indexCodeDigest(): string {
  if (codeDigest) return codeDigest;
  const hash = createHash('sha256');
  for (const file of INDEX_SOURCES.flatMap(sourceFiles)) hash.update(file.slice(SRC.length)).update('\0').update(readFileSync(file)).update('\0');
  const natural = createRequire(import.meta.url)('natural/package.json') as { version: string };
  hash.update(`natural@${natural.version}`);
  return (codeDigest = hash.digest('hex').slice(0, 24));
}

/** The key a snapshot must carry to be loaded with this code and this thesaurus. */
export function snapshotKey(thesaurus: Thesaurus, thesaurusDigest: string): string {
  return `format ${SNAPSHOT_FORMAT} · code ${indexCodeDigest()} · thésaurus ${thesaurus.version} (${thesaurusDigest.slice(0, 16)})`;
}

// ---------- bytes in memory ----------

/**
 * A snapshot already in memory (encoded by another thread of the process: EncodedSnapshot), to load
 * only: nothing is written to it.
 */
export function bytesSnapshots(bytes: Uint8Array, where = 'mémoire du processus'): SnapshotStorage {
  return {
    where,
    // Each section read is copied out of the shared memory: the decoder keeps nothing that another thread holds.
    open: async () => ({ size: bytes.byteLength, read: async (offset, length) => bytes.slice(offset, offset + length), close: async () => {} }),
    write: async () => { throw new Error(`instantané : ${where} se lit seulement`); },
  };
}

// ---------- a file beside the embedded database ----------

/** The snapshot file of an embedded database's data folder (`memory://` has none). */
export const snapshotPathOf = (dataDir: string): string => `${dataDir.replace(/\/+$/, '')}.index`;

export function fileSnapshots(path: string): SnapshotStorage {
  return {
    where: path,
    async open() {
      let handle;
      try { handle = await open(path, 'r'); } catch { return undefined; }
      const { size } = await handle.stat();
      return {
        size,
        read: async (offset, length) => {
          const buffer = Buffer.allocUnsafeSlow(length);
          const { bytesRead } = await handle.read(buffer, 0, length, offset);
          return bytesRead === length ? buffer : buffer.subarray(0, bytesRead);
        },
        close: () => handle.close(),
      };
    },
    async write(parts) {
      // Written aside, then renamed over the previous one: a crash leaves the old snapshot whole.
      const temp = `${path}.${process.pid}.tmp`;
      await mkdir(dirname(path), { recursive: true });
      const out = createWriteStream(temp);
      let size = 0;
      try {
        for await (const part of parts) {
          size += part.byteLength;
          if (!out.write(part)) await new Promise<void>((resolve) => out.once('drain', resolve));
        }
        out.end();
        await finished(out);
        await rename(temp, path);
      } catch (e) {
        out.destroy();
        await rm(temp, { force: true });
        throw e;
      }
      return size;
    },
  };
}

// ---------- a table on a PostgreSQL server ----------

const CHUNK_BYTES = 4 * 2 ** 20;

/** Parts regrouped in rows of exactly CHUNK_BYTES (the last one shorter). */
async function* rowsOfParts(parts: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let row = new Uint8Array(CHUNK_BYTES);
  let filled = 0;
  for await (let part of parts) {
    while (filled === 0 && part.byteLength >= CHUNK_BYTES) { // a whole row already (a stored snapshot read row by row): not copied
      yield part.subarray(0, CHUNK_BYTES);
      part = part.subarray(CHUNK_BYTES);
    }
    while (part.byteLength > 0) {
      const n = Math.min(part.byteLength, CHUNK_BYTES - filled);
      row.set(part.subarray(0, n), filled);
      filled += n;
      part = part.subarray(n);
      if (filled === CHUNK_BYTES) { yield row; row = new Uint8Array(CHUNK_BYTES); filled = 0; }
    }
  }
  if (filled > 0) yield row.subarray(0, filled);
}

/** Encoded parts of a snapshot, one after the other, in memory that threads share (bytesSnapshots reads it there). */
export function sharedJoin(parts: readonly Uint8Array[]): SharedArrayBuffer {
  const bytes = new SharedArrayBuffer(parts.reduce((n, p) => n + p.byteLength, 0)), all = new Uint8Array(bytes);
  let at = 0;
  for (const part of parts) { all.set(part, at); at += part.byteLength; }
  return bytes;
}

/** A whole stored snapshot copied into memory that threads share (bytesSnapshots reads it there). */
export async function sharedCopyOf(stored: StoredSnapshot): Promise<SharedArrayBuffer> {
  const bytes = new SharedArrayBuffer(stored.size), all = new Uint8Array(bytes);
  let at = 0;
  for await (const part of wholeOf(stored)) { all.set(part, at); at += part.byteLength; }
  return bytes;
}

/** Bytes of a whole stored snapshot, read in order (to copy it). */
async function* wholeOf(stored: StoredSnapshot): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < stored.size; at += CHUNK_BYTES) yield await stored.read(at, Math.min(CHUNK_BYTES, stored.size - at));
}

/**
 * The table of a server, with a local copy of its latest snapshot at `cachePath` (its id in
 * `cachePath.id`): used when the table's latest is that one, refreshed when it is not.
 */
export function tableSnapshots(store: Pick<Store, 'db' | 'copyIn' | 'copyOut'>, cachePath?: string): SnapshotStorage {
  const inTable = tableOnly(store);
  if (!cachePath) return inTable;
  const local = fileSnapshots(cachePath);
  const idFile = `${cachePath}.id`;
  const cachedId = () => { try { return readFileSync(idFile, 'utf8').trim(); } catch { return undefined; } };
  return {
    where: `${inTable.where} (copie locale ${cachePath})`,
    peek: () => inTable.peek!(),
    async open() {
      const latest = await latestIn(store);
      if (!latest) return undefined;
      if (cachedId() !== latest.id) {
        await rm(idFile, { force: true });
        if (store.copyOut) {
          await local.write(copiedSnapshot(store.copyOut, latest.id, Number(latest.size)), '');
        } else {
          const stored = await inTable.open();
          if (!stored) return undefined;
          try { await local.write(wholeOf(stored), ''); } finally { await stored.close(); }
        }
        writeFileSync(idFile, `${latest.id}\n`);
      }
      return local.open();
    },
    async write(parts, key) {
      // Encoded once, into the local file; then copied from it to the table, a row at a time.
      await rm(idFile, { force: true });
      await local.write(parts, key);
      const stored = (await local.open())!;
      let size: number;
      try { size = await inTable.write(wholeOf(stored), key); } finally { await stored.close(); }
      const latest = await latestIn(store);
      if (latest) writeFileSync(idFile, `${latest.id}\n`);
      return size;
    },
  };
}

async function latestIn({ db }: Pick<Store, 'db'>) {
  const [latest] = await db.select({ id: indexSnapshots.id, size: indexSnapshots.size }).from(indexSnapshots)
    .where(isNotNull(indexSnapshots.completedAt)).orderBy(desc(indexSnapshots.completedAt)).limit(1);
  return latest;
}

/** The header of a binary COPY (PostgreSQL's « PGCOPY » signature, no flags, no extension) and its end. */
const COPY_SIGNATURE = Uint8Array.of(0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0);
const COPY_END = Uint8Array.of(0xff, 0xff);

/** One row of the chunks' table in COPY's binary format: snapshot id (text), seq (int4), then the length of the bytes (bytea) that follow. */
function copyRowHead(id: Uint8Array, seq: number, length: number): Uint8Array {
  const head = new Uint8Array(2 + 4 + id.byteLength + 4 + 4 + 4);
  const view = new DataView(head.buffer);
  view.setInt16(0, 3);
  view.setInt32(2, id.byteLength);
  head.set(id, 6);
  let at = 6 + id.byteLength;
  view.setInt32(at, 4);
  view.setInt32(at + 4, seq);
  at += 8;
  view.setInt32(at, length);
  return head;
}

/**
 * The values of the one column of a binary COPY's output (`copy (select bytes …) to stdout (format
 * binary)`), in order, as the pieces the stream brings them in: a row's value may come in several
 * pieces, and a piece may hold several values. A stream that ends before the trailer, or a row that
 * is not one non-null column, is refused.
 */
export async function* copiedValues(stream: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let pending = new Uint8Array(0);
  /** Bytes still to give of the current value; -1 between values. */
  let left = -1;
  let headerRead = false, ended = false;
  for await (const chunk of stream) {
    let bytes = pending.byteLength > 0 ? concat(pending, chunk) : chunk;
    pending = new Uint8Array(0);
    for (;;) {
      if (ended) { if (bytes.byteLength > 0) throw new Error('copie binaire : des octets après la fin'); break; }
      if (left > 0) {
        const n = Math.min(left, bytes.byteLength);
        if (n === 0) break;
        yield bytes.subarray(0, n);
        bytes = bytes.subarray(n);
        left -= n;
        continue;
      }
      left = -1;
      if (!headerRead) {
        if (bytes.byteLength < COPY_SIGNATURE.byteLength) { pending = bytes.slice(); break; }
        if (!COPY_SIGNATURE.subarray(0, 11).every((b, i) => bytes[i] === b)) throw new Error('copie binaire : signature PGCOPY absente');
        const extension = new DataView(bytes.buffer, bytes.byteOffset + 15, 4).getUint32(0);
        if (bytes.byteLength < 19 + extension) { pending = bytes.slice(); break; }
        bytes = bytes.subarray(19 + extension);
        headerRead = true;
        continue;
      }
      if (bytes.byteLength < 2) { pending = bytes.slice(); break; }
      const view = new DataView(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 6));
      const fields = view.getInt16(0);
      if (fields === -1) { ended = true; bytes = bytes.subarray(2); continue; }
      if (fields !== 1) throw new Error(`copie binaire : ${fields} colonnes par ligne, 1 attendue`);
      if (bytes.byteLength < 6) { pending = bytes.slice(); break; }
      const length = view.getInt32(2);
      if (length < 0) throw new Error('copie binaire : valeur nulle');
      bytes = bytes.subarray(6);
      left = length;
      if (length === 0) left = -1;
    }
  }
  if (!ended) throw new Error('copie binaire : interrompue avant la fin');
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}

/** A snapshot's id as made by `write` below: safe inside a COPY statement (which takes no parameters). */
const SNAPSHOT_ID = /^snap_[a-z0-9]+_[0-9a-f]+$/;

/**
 * The bytes of a stored snapshot in one binary COPY out of the table: 0.7 s for 540 MB where
 * reading its rows as query results took 8 s (bytea comes as hex text, twice the size, decoded).
 */
async function* copiedSnapshot(copyOut: NonNullable<Store['copyOut']>, id: string, size: number): AsyncGenerator<Uint8Array> {
  if (!SNAPSHOT_ID.test(id)) throw new Error(`instantané : identifiant inattendu ${JSON.stringify(id)}`);
  const stream = await copyOut(`copy (select bytes from index_snapshot_chunks where snapshot_id = '${id}' order by seq) to stdout (format binary)`);
  let got = 0;
  try {
    for await (const part of copiedValues(stream)) { got += part.byteLength; yield part; }
  } finally {
    stream.destroy(); // read to its end, or given up (its connection is then closed: see copyOut)
  }
  if (got !== size) throw new Error(`instantané ${id} : ${got} octets lus dans la table, ${size} attendus`);
}

/**
 * The rows of a snapshot written by one binary COPY: each row's bytes go to the server as they
 * are. Inserted one statement at a time, a 4 MB row became an 8 MB hex string and an 8 MB message
 * (postgres.js sends parameters as text), garbage that took the saving service's resident memory
 * 400 MB above the index it saves.
 */
async function copyRows(copyIn: NonNullable<Store['copyIn']>, id: string, parts: AsyncIterable<Uint8Array>): Promise<number> {
  const out = await copyIn('copy index_snapshot_chunks (snapshot_id, seq, bytes) from stdin (format binary)');
  const write = async (bytes: Uint8Array) => { if (!out.write(bytes)) await once(out, 'drain'); };
  const idBytes = new TextEncoder().encode(id);
  let size = 0, seq = 0;
  try {
    await write(COPY_SIGNATURE);
    for await (const row of rowsOfParts(parts)) {
      await write(copyRowHead(idBytes, seq++, row.byteLength));
      await write(row);
      size += row.byteLength;
    }
    out.end(COPY_END);
    await finished(out);
  } catch (e) {
    out.destroy();
    throw e;
  }
  return size;
}

function tableOnly(store: Pick<Store, 'db' | 'copyIn' | 'copyOut'>): SnapshotStorage {
  const { db, copyIn, copyOut } = store;
  return {
    where: 'table index_snapshots',
    async peek() {
      const latest = await latestIn(store);
      return latest ? rowByRow(db, latest.id, Number(latest.size)) : undefined;
    },
    async open() {
      const latest = await latestIn(store);
      if (!latest) return undefined;
      const size = Number(latest.size);
      if (copyOut) {
        // The whole snapshot by one binary COPY, then read from memory: rows fetched as the decoder
        // asks for them came as hex text (bytea) or one round trip at a time, and a ranking thread of
        // the nightly run took 35 s to load a 540 MB snapshot that way against 12 s from a file.
        let whole: Uint8Array | undefined = new Uint8Array(size);
        let at = 0;
        for await (const part of copiedSnapshot(copyOut, latest.id, size)) {
          if (at + part.byteLength > size) throw new Error(`instantané ${latest.id} : plus de ${size} octets dans la table`);
          whole.set(part, at);
          at += part.byteLength;
        }
        return {
          size,
          read: async (offset, length) => {
            if (!whole) throw new Error(`instantané ${latest.id} : lu après sa fermeture`);
            return whole.subarray(offset, offset + length);
          },
          close: async () => { whole = undefined; }, // the copy let go at once, not when the reader is
        };
      }
      return rowByRow(db, latest.id, size);
    },
    async write(parts, key) {
      const id = `snap_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
      await db.insert(indexSnapshots).values({ id, key, size: 0 });
      let size = 0, seq = 0;
      try {
        if (copyIn) size = await copyRows(copyIn, id, parts);
        else {
          for await (const row of rowsOfParts(parts)) {
            await db.insert(indexSnapshotChunks).values({ snapshotId: id, seq: seq++, bytes: row });
            size += row.byteLength;
          }
        }
        await db.transaction(async (tx) => {
          await tx.update(indexSnapshots).set({ size, completedAt: sql`now()` }).where(eq(indexSnapshots.id, id));
          await tx.delete(indexSnapshots).where(ne(indexSnapshots.id, id));
        });
      } catch (e) {
        await db.delete(indexSnapshots).where(eq(indexSnapshots.id, id)).catch(() => {});
        throw e;
      }
      return size;
    },
  };
}

/** A stored snapshot read from its rows as the reader asks (no copy of the whole). */
function rowByRow(db: Store['db'], id: string, size: number): StoredSnapshot {
  // Sections are read in order and many share a row: the rows last fetched are kept for the next reads.
  const recent = new Map<number, Uint8Array>();
  const rowsFor = async (first: number, last: number) => {
    const missing = [];
    for (let seq = first; seq <= last; seq++) if (!recent.has(seq)) missing.push(seq);
    if (missing.length > 0) {
      const rows = await db.select({ seq: indexSnapshotChunks.seq, bytes: indexSnapshotChunks.bytes }).from(indexSnapshotChunks)
        .where(and(eq(indexSnapshotChunks.snapshotId, id),
          sql`${indexSnapshotChunks.seq} between ${missing[0]} and ${missing[missing.length - 1]}`));
      for (const row of rows) recent.set(row.seq, row.bytes);
    }
    for (const seq of recent.keys()) if (seq < first) recent.delete(seq);
    return recent;
  };
  return {
    size,
    async read(offset, length) {
      const first = Math.floor(offset / CHUNK_BYTES), last = Math.floor((offset + length - 1) / CHUNK_BYTES);
      const rows = await rowsFor(first, last);
      const out = new Uint8Array(length);
      for (let seq = first; seq <= last; seq++) {
        const bytes = rows.get(seq)!;
        const start = seq * CHUNK_BYTES;
        const from = Math.max(offset, start) - start, to = Math.min(offset + length, start + bytes.byteLength) - start;
        if (to > from) out.set(bytes.subarray(from, to), start + from - offset);
      }
      return out;
    },
    close: async () => {},
  };
}

/** The storage of a store: a file beside the embedded database's folder, a table on a server; none in memory. */
export function snapshotStorageFor(store: Pick<Store, 'db' | 'kind' | 'copyIn' | 'copyOut'>, dataDir: string): SnapshotStorage | undefined {
  if (store.kind === 'postgres') return tableSnapshots(store, dataDir.startsWith('memory://') ? undefined : snapshotPathOf(dataDir));
  return dataDir.startsWith('memory://') ? undefined : fileSnapshots(snapshotPathOf(dataDir));
}

