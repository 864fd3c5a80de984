/**
 * The built index as bytes, and back, without analysing any text again: the vocabulary (terms in
 * id order, document frequencies, spelling aliases), the pool of words as written, and every
 * profile in slot order. A profile is stored GENERICALLY: each of its fields as JSON, except typed
 * arrays (vectors, term bags, surfaces), which go to binary sections and come back as typed arrays
 * over them, and the few fields that are views over the vocabulary (DERIVED_FIELDS), rebuilt on
 * load. A new trait of a profile needs no change here; a field that is not data (a function, a
 * Map, a class instance) is refused at save time, so that it cannot be lost silently.
 *
 * Layout: "PSNX" + format (u32), the sections (each at a multiple of 8 bytes), then the header
 * (JSON) + its length (u32) + "PSNX". The header comes last so that a snapshot is written as it is
 * encoded, chunk after chunk; it names the sections (offset and length) and carries the caller's
 * `key` and `meta`. Records go by chunks of 5,000 (a JSON section, one binary section per element
 * type), so neither saving nor loading holds the whole index twice. Saving works on a copy of the
 * index's state taken at once (`indexState`): a service may go on changing its index meanwhile.
 */
import type { EntityKind } from '../domain/types.ts';
import { DERIVED_FIELDS, type Analyser } from '../profiles/analysis.ts';
import type { ResourceProfile, StructureProfile } from '../profiles/profiles.ts';
import { SurfacePool } from '../retrieval/surfaces.ts';
import { Vocabulary } from '../retrieval/vocabulary.ts';
import type { Thesaurus } from '../text/thesaurus.ts';
import { Index } from './index.ts';

/** Version of the layout and of the encoding of profiles: a snapshot of another format is rebuilt. */
export const SNAPSHOT_FORMAT = 1;
const MAGIC = [0x50, 0x53, 0x4e, 0x58]; // PSNX
const RECORDS_PER_CHUNK = 5_000;

export interface SectionInfo { name: string; offset: number; length: number }

export interface SnapshotHeader {
  format: number;
  /** What the index depends on (code, thesaurus…): the loader compares it with its own. */
  key: string;
  /** Free information for the caller (watermark, counts, dates). */
  meta: Record<string, unknown>;
  /** Field names of each kind's profiles, in their order. */
  fields: Record<EntityKind, string[]>;
  chunks: Record<EntityKind, number>;
  sections: SectionInfo[];
}

/** Reads `length` bytes at `offset` of a stored snapshot (a file, rows of a table). */
export type ReadBytes = (offset: number, length: number) => Promise<Uint8Array>;

const ARRAY_TYPES = {
  i32: Int32Array, f32: Float32Array, f64: Float64Array, u32: Uint32Array, u8: Uint8Array, i16: Int16Array, u16: Uint16Array,
} as const;
type ArrayCode = keyof typeof ARRAY_TYPES;
type Typed = InstanceType<(typeof ARRAY_TYPES)[ArrayCode]>;
const codeOf = (a: ArrayBufferView): ArrayCode | undefined =>
  (Object.keys(ARRAY_TYPES) as ArrayCode[]).find((code) => a.constructor === ARRAY_TYPES[code]);

type Profile = StructureProfile | ResourceProfile;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();
const pad8 = (n: number) => (n + 7) & ~7;

// ---------- saving ----------

/** Typed arrays of one chunk, per element type, and the JSON-ready copy of each value. */
class Packer {
  readonly arrays = new Map<ArrayCode, { parts: Typed[]; length: number }>();

  pack(value: unknown, path: string): unknown {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number') return Number.isFinite(value) ? value : { $n: String(value) };
    if (value === undefined) return undefined;
    if (ArrayBuffer.isView(value)) {
      const code = codeOf(value);
      if (!code) throw new Error(`index snapshot: ${path} is a ${value.constructor.name}, not a supported typed array`);
      const slot = this.arrays.get(code) ?? { parts: [], length: 0 };
      this.arrays.set(code, slot);
      slot.parts.push(value as Typed);
      slot.length += (value as Typed).length;
      return { $a: [code, slot.length - (value as Typed).length, (value as Typed).length] };
    }
    if (Array.isArray(value)) return value.map((v, i) => this.pack(v, `${path}[${i}]`));
    if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.pack(v, `${path}.${k}`);
      return out;
    }
    const what = typeof value === 'object' ? (value as object).constructor?.name ?? 'object' : typeof value;
    throw new Error(`index snapshot: ${path} is not data (${what}): store plain values, or declare it in DERIVED_FIELDS`);
  }

  binary(code: ArrayCode): Uint8Array {
    const slot = this.arrays.get(code)!;
    const all = new ARRAY_TYPES[code](slot.length);
    let at = 0;
    for (const part of slot.parts) { all.set(part as never, at); at += part.length; }
    return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
  }
}


function fieldsOf(profiles: readonly Profile[]): string[] {
  const fields = new Set<string>();
  for (const p of profiles) for (const k of Object.keys(p)) fields.add(k);
  return [...fields];
}

/** What a snapshot stores, taken at once from an index (the profiles are not copied: a change replaces them). */
export interface IndexState {
  vocabulary: { terms: string[]; df: Int32Array; documents: number; aliases: [string, number][] };
  pool: string[];
  structure: Profile[];
  resource: Profile[];
}

export function indexState(index: Index): IndexState {
  const v = index.vocabulary.exportState();
  return {
    vocabulary: { terms: v.terms.slice(), df: v.df.slice(), documents: v.documents, aliases: v.aliases },
    pool: index.pool.all().slice(),
    structure: index.structures.liveInSlotOrder(),
    resource: index.resources.liveInSlotOrder(),
  };
}

/**
 * The snapshot of an index's state as parts to write one after the other, encoded as they are
 * asked for (the whole is never held in one buffer). `key` and `meta` are the caller's.
 */
export function* encodeIndex(state: IndexState, key: string, meta: Record<string, unknown> = {}): Generator<Uint8Array> {
  const infos: SectionInfo[] = [];
  let offset = 8;
  const head = new Uint8Array(8);
  head.set(MAGIC, 0);
  new DataView(head.buffer).setUint32(4, SNAPSHOT_FORMAT, true);
  yield head;
  function* section(name: string, bytes: Uint8Array): Generator<Uint8Array> {
    infos.push({ name, offset, length: bytes.byteLength });
    offset = pad8(offset + bytes.byteLength);
    yield bytes;
    const gap = pad8(bytes.byteLength) - bytes.byteLength;
    if (gap > 0) yield new Uint8Array(gap);
  }
  const json = (name: string, value: unknown) => section(name, utf8.encode(JSON.stringify(value)));
  yield* json('vocabulary.terms', state.vocabulary.terms);
  yield* section('vocabulary.df', new Uint8Array(state.vocabulary.df.buffer, state.vocabulary.df.byteOffset, state.vocabulary.df.byteLength));
  yield* json('vocabulary.meta', { documents: state.vocabulary.documents, aliases: state.vocabulary.aliases });
  yield* json('pool', state.pool);
  const fields = { structure: fieldsOf(state.structure), resource: fieldsOf(state.resource) };
  const chunks = { structure: 0, resource: 0 };
  for (const kind of ['structure', 'resource'] as const) {
    const derived = new Set(Object.keys(DERIVED_FIELDS[kind]));
    const list = state[kind];
    for (let from = 0; from < list.length; from += RECORDS_PER_CHUNK) {
      const packer = new Packer();
      const rows = list.slice(from, from + RECORDS_PER_CHUNK).map((p, i) => {
        const row: Record<string, unknown> = {};
        for (const field of fields[kind]) {
          if (derived.has(field)) continue;
          const value = (p as unknown as Record<string, unknown>)[field];
          row[field] = field === 'entity' ? value : packer.pack(value, `${kind}[${from + i}].${field}`);
        }
        return row;
      });
      const c = chunks[kind]++;
      yield* json(`${kind}.${c}.json`, rows);
      for (const code of packer.arrays.keys()) yield* section(`${kind}.${c}.${code}`, packer.binary(code));
    }
  }
  const header: SnapshotHeader = { format: SNAPSHOT_FORMAT, key, meta, fields, chunks, sections: infos };
  const headerBytes = utf8.encode(JSON.stringify(header));
  const tail = new Uint8Array(8);
  new DataView(tail.buffer).setUint32(0, headerBytes.byteLength, true);
  tail.set(MAGIC, 4);
  yield headerBytes;
  yield tail;
}

// ---------- loading ----------

/**
 * The header of a stored snapshot of `size` bytes; undefined when the bytes are not a snapshot or
 * of another format (the caller rebuilds).
 */
export async function readHeader(read: ReadBytes, size: number): Promise<SnapshotHeader | undefined> {
  if (size < 16) return undefined;
  const head = await read(0, 8);
  const tail = await read(size - 8, 8);
  if (MAGIC.some((b, i) => head[i] !== b || tail[4 + i] !== b)) return undefined;
  if (new DataView(head.buffer, head.byteOffset, 8).getUint32(4, true) !== SNAPSHOT_FORMAT) return undefined;
  const length = new DataView(tail.buffer, tail.byteOffset, 8).getUint32(0, true);
  if (length > size - 16) return undefined;
  const header = JSON.parse(fromUtf8.decode(await read(size - 8 - length, length))) as SnapshotHeader;
  return header.format === SNAPSHOT_FORMAT ? header : undefined;
}

/** Replaces the markers of `pack` by typed arrays over the chunk's sections (in place). */
function revive(value: unknown, arrays: Partial<Record<ArrayCode, Typed>>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = revive(value[i], arrays);
    return value;
  }
  const o = value as Record<string, unknown>;
  if (o.$a !== undefined) {
    const [code, at, length] = o.$a as [ArrayCode, number, number];
    return arrays[code]!.subarray(at, at + length);
  }
  if (o.$n !== undefined) return Number(o.$n);
  for (const k in o) o[k] = revive(o[k], arrays);
  return o;
}

/** After each chunk: the kind being loaded, its records so far, and the share of the whole snapshot done. */
export interface LoadProgress { kind: EntityKind; records: number; fraction: number }

/**
 * The index a snapshot holds, for this thesaurus (the caller has checked the header's key).
 * `onProgress` is told after each chunk of records.
 */
export async function decodeIndex(
  thesaurus: Thesaurus, read: ReadBytes, size: number, onProgress: (p: LoadProgress) => void = () => {},
): Promise<{ index: Index; header: SnapshotHeader }> {
  const header = await readHeader(read, size);
  if (!header) throw new Error('index snapshot: not a snapshot of this format');
  const byName = new Map(header.sections.map((s) => [s.name, s]));
  const bytes = async (name: string): Promise<Uint8Array | undefined> => {
    const s = byName.get(name);
    return s ? read(s.offset, s.length) : undefined;
  };
  const json = async <T>(name: string): Promise<T> => JSON.parse(fromUtf8.decode((await bytes(name))!)) as T;
  const typed = async (name: string, code: ArrayCode): Promise<Typed | undefined> => {
    const b = await bytes(name);
    if (!b) return undefined;
    const copy = b.slice(); // own, aligned buffer
    return new ARRAY_TYPES[code](copy.buffer, 0, copy.byteLength / ARRAY_TYPES[code].BYTES_PER_ELEMENT);
  };
  const vocabMeta = await json<{ documents: number; aliases: [string, number][] }>('vocabulary.meta');
  const vocabulary = Vocabulary.restore({
    terms: await json<string[]>('vocabulary.terms'), df: (await typed('vocabulary.df', 'i32')) as Int32Array, ...vocabMeta,
  });
  const pool = SurfacePool.of(await json<string[]>('pool'));
  const analyser: Analyser = { vocabulary, thesaurus, surfaces: pool };
  const profiles = { structure: [] as Profile[], resource: [] as Profile[] };
  const total = Object.values(header.chunks).reduce((a, b) => a + b, 0);
  let loaded = 0;
  for (const kind of ['structure', 'resource'] as const) {
    const fields = header.fields[kind];
    const derived = Object.entries(DERIVED_FIELDS[kind]) as [string, (a: Analyser, p: never) => unknown][];
    for (let c = 0; c < header.chunks[kind]; c++) {
      const arrays: Partial<Record<ArrayCode, Typed>> = {};
      for (const code of Object.keys(ARRAY_TYPES) as ArrayCode[]) {
        const a = await typed(`${kind}.${c}.${code}`, code);
        if (a) arrays[code] = a;
      }
      const rows = await json<Record<string, unknown>[]>(`${kind}.${c}.json`);
      for (const row of rows) {
        const p: Record<string, unknown> = {};
        for (const field of fields) p[field] = field === 'entity' ? row[field] : revive(row[field], arrays);
        for (const [field, make] of derived) p[field] = make(analyser, p as never);
        profiles[kind].push(p as unknown as Profile);
      }
      loaded++;
      onProgress({ kind, records: profiles[kind].length, fraction: loaded / total });
    }
  }
  const index = Index.restore(thesaurus, {
    vocabulary, pool,
    structures: profiles.structure as StructureProfile[], resources: profiles.resource as ResourceProfile[],
  });
  return { index, header };
}
