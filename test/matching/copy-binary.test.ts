/**
 * The reader of a binary COPY's output (a snapshot copied out of its table): every value whole and
 * in order, however the stream cuts it, and a stream cut short or of another shape refused.
 */
import { describe, expect, it } from 'vitest';
import { copiedValues } from '../../src/matching/matching.snapshot.ts';

/** PostgreSQL's binary COPY output of one bytea column holding `values`, with a header extension of `extension` bytes. */
function copyOutput(values: Uint8Array[], extension = 0): Uint8Array {
  const parts: number[] = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, extension, ...Array(extension).fill(7)];
  for (const v of values) parts.push(0, 1, (v.length >>> 24) & 0xff, (v.length >>> 16) & 0xff, (v.length >>> 8) & 0xff, v.length & 0xff, ...v);
  parts.push(0xff, 0xff);
  return Uint8Array.from(parts);
}

async function* cut(bytes: Uint8Array, sizes: number[]) {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) { const n = sizes[i % sizes.length]; yield bytes.subarray(at, at + n); at += n; }
}

async function read(stream: AsyncIterable<Uint8Array>): Promise<number[]> {
  const out: number[] = [];
  for await (const part of copiedValues(stream)) out.push(...part);
  return out;
}

describe('reading a binary COPY of one bytea column', () => {
  const values = [Uint8Array.from({ length: 300 }, (_, i) => i & 0xff), new Uint8Array(0), Uint8Array.of(9, 8, 7), Uint8Array.from({ length: 70 }, (_, i) => 255 - i)];
  const expected = values.flatMap((v) => [...v]);

  it('gives every value whole and in order, whatever the sizes of the pieces the stream brings', async () => {
    const bytes = copyOutput(values, 4);
    for (const sizes of [[bytes.length], [1], [2, 3], [5, 1, 17], [19], [20, 6, 1]]) expect(await read(cut(bytes, sizes))).toEqual(expected);
  });

  it('refuses a stream that ends before the trailer', async () => {
    const bytes = copyOutput(values);
    await expect(read(cut(bytes.subarray(0, bytes.length - 2), [7]))).rejects.toThrow(/interrompue/);
    await expect(read(cut(bytes.subarray(0, 200), [50]))).rejects.toThrow(/interrompue/);
  });

  it('refuses what is not a binary COPY of one column', async () => {
    await expect(read(cut(new TextEncoder().encode('id\\tbytes\\n1\\t\\\\x00\\n'), [4]))).rejects.toThrow(/PGCOPY/);
    const two = copyOutput([Uint8Array.of(1)]);
    two[20] = 2; // two columns in the row
    await expect(read(cut(two, [3]))).rejects.toThrow(/2 colonnes/);
  });
});
