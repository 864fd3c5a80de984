/**
 * Streaming line reader: bytes in, numbered text lines out, in bounded memory.
 *
 * The bytes are cut at each `\n` before decoding: a newline byte never occurs inside a multi-byte
 * UTF-8 sequence, so each line can be decoded on its own by a fatal decoder, and invalid UTF-8 is
 * reported with its exact line number. A UTF-8 BOM at the start of the file is dropped, a `\r`
 * before the `\n` (CRLF files) is removed. Blank lines are yielded (the CSV reader needs them
 * inside quoted fields); callers skip them where they mean nothing. A line over the limit (4 MiB)
 * does not stop the file: it comes out cut and marked `tooLong`, for its record to be rejected.
 */
import { importErrors } from './errors.ts';

export interface Line {
  /** 1-based physical line number in the file. */
  line: number;
  text: string;
  /**
   * Set when the line was longer than the limit: `text` is then only its first `maxLineBytes`
   * (decoded leniently), the rest was skipped, and the line's record is to be rejected.
   */
  tooLong?: { bytes: number; max: number };
}

export interface ReadLinesOptions {
  /** File name for error messages. */
  sourceName: string;
  /** A longer line is cut to this many bytes and marked `tooLong`, so that memory stays bounded (default 4 MiB). */
  maxLineBytes?: number;
}

const NEWLINE = 0x0a;
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

interface Skipping { prefix: Uint8Array; bytes: number }

/** Reads numbered lines from a byte stream (a Node Readable, a file handle stream, an HTTP body…). */
export async function* readLines(
  source: AsyncIterable<Uint8Array | string>, options: ReadLinesOptions,
): AsyncGenerator<Line> {
  const max = options.maxLineBytes ?? MAX_LINE_BYTES;
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const lenient = new TextDecoder('utf-8', { ignoreBOM: true });
  const decode = (bytes: Uint8Array, line: number): string => {
    try {
      const text = decoder.decode(bytes);
      const noCr = text.endsWith('\r') ? text.slice(0, -1) : text;
      return line === 1 && noCr.startsWith('\uFEFF') ? noCr.slice(1) : noCr;
    } catch {
      throw importErrors.notUtf8(options.sourceName, line, bytes);
    }
  };
  const tooLong = (line: number, skipped: Skipping): Line =>
    ({ line, text: lenient.decode(skipped.prefix), tooLong: { bytes: skipped.bytes, max } });
  const cut = (parts: Uint8Array[], bytes: number): Skipping =>
    ({ prefix: Buffer.concat(parts).subarray(0, max), bytes });

  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let skipping: Skipping | undefined;
  let line = 0;
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    for (let nl = bytes.indexOf(NEWLINE, start); nl !== -1; nl = bytes.indexOf(NEWLINE, start)) {
      const piece = bytes.subarray(start, nl);
      line += 1;
      if (skipping) {
        skipping.bytes += piece.length;
        yield tooLong(line, skipping);
        skipping = undefined;
      } else if (pendingBytes + piece.length > max) {
        yield tooLong(line, cut([...pending, piece], pendingBytes + piece.length));
      } else {
        yield { line, text: decode(pendingBytes === 0 ? piece : Buffer.concat([...pending, piece]), line) };
      }
      pending = [];
      pendingBytes = 0;
      start = nl + 1;
    }
    if (start >= bytes.length) continue;
    if (skipping) {
      skipping.bytes += bytes.length - start;
      continue;
    }
    pending.push(new Uint8Array(bytes.subarray(start))); // a copy: the stream may reuse its chunk
    pendingBytes += bytes.length - start;
    if (pendingBytes > max) {
      skipping = cut(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
    }
  }
  if (skipping) yield tooLong(line + 1, skipping);
  else if (pendingBytes > 0) yield { line: line + 1, text: decode(Buffer.concat(pending), line + 1) };
}

/** True for a line with nothing but spaces. */
export const isBlank = (text: string): boolean => text.trim() === '';
