/**
 * Files for import tests, built from the dev set: records as JSON Lines or CSV text, and a byte
 * stream over a text cut into small chunks (so that lines and characters straddle chunk ends).
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { EntityKind } from '../../src/domain/types.ts';

export type Json = Record<string, unknown>;

const devFile = (kind: EntityKind) => new URL(`../fixtures/dev/${kind}s.jsonl`, import.meta.url);

/** Path of the dev set file of that kind. */
export const devPath = (kind: EntityKind): string => devFile(kind).pathname;

/** The dev set records of that kind, as parsed objects (fresh copies on each call). */
export function devRecords(kind: EntityKind): Json[] {
  return readFileSync(devFile(kind), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Json);
}

export const toJsonl = (lines: (Json | string)[], eol = '\n'): string =>
  lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join(eol) + eol;

const csvCell = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  const text = Array.isArray(value) ? value.join('|') : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** CSV text with a header made of every key of the records, in first-seen order. */
export function toCsv(records: Json[], eol = '\n'): string {
  const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
  const rows = records.map((r) => columns.map((c) => csvCell(r[c])).join(','));
  return [columns.join(','), ...rows].join(eol) + eol;
}

/** A byte stream over the text, in chunks of `size` bytes. */
export function fromText(text: string | Buffer, size = 97): Readable {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts);
}

/** `n` valid structures: copies of the dev ones under new ids (gen-0000…), same postal codes. */
export function generatedStructures(n: number): Json[] {
  const base = devRecords('structure');
  return Array.from({ length: n }, (_, i) => ({ ...base[i % base.length], id: `gen-${String(i).padStart(4, '0')}` }));
}
