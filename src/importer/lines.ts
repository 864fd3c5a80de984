/**
 * Streaming line reader: bytes in, numbered text lines out, in bounded memory.
 *
 * The bytes are cut at each `\n` before decoding: a newline byte never occurs inside a multi-byte
 * UTF-8 sequence, so each line can be decoded on its own by a fatal decoder, and invalid UTF-8 is
 * reported with its exact line number. A UTF-8 BOM at the start of the file is dropped, a `\r`
 * before the `\n` (CRLF files) is removed. Blank lines are yielded (the CSV reader needs them
 * inside quoted fields); callers skip them where they mean nothing.
 */
import { importErrors } from './errors.ts';

export interface Line {
  /** 1-based physical line number in the file. */
  line: number;
  text: string;
}

export interface ReadLinesOptions {
  /** File name for error messages. */
  sourceName: string;
  /** A line longer than this is a fatal error, so that memory stays bounded (default 4 MiB). */
  maxLineBytes?: number;
}

const NEWLINE = 0x0a;
const DEFAULT_MAX_LINE = 4 * 1024 * 1024;

/** Reads numbered lines from a byte stream (a Node Readable, a file handle stream, an HTTP body…). */
export async function* readLines(
  source: AsyncIterable<Uint8Array | string>, options: ReadLinesOptions,
): AsyncGenerator<Line> {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE;
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const decode = (bytes: Uint8Array, line: number): string => {
    try {
      const text = decoder.decode(bytes);
      const noCr = text.endsWith('\r') ? text.slice(0, -1) : text;
      return line === 1 && noCr.startsWith('\uFEFF') ? noCr.slice(1) : noCr;
    } catch {
      throw importErrors.notUtf8(options.sourceName, line, bytes);
    }
  };

  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let line = 0;
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    for (let nl = bytes.indexOf(NEWLINE, start); nl !== -1; nl = bytes.indexOf(NEWLINE, start)) {
      const piece = bytes.subarray(start, nl);
      line += 1;
      if (pendingBytes + piece.length > max) throw importErrors.lineTooLong(options.sourceName, line, max);
      const whole = pendingBytes === 0 ? piece : Buffer.concat([...pending, piece]);
      pending = [];
      pendingBytes = 0;
      yield { line, text: decode(whole, line) };
      start = nl + 1;
    }
    if (start < bytes.length) {
      pending.push(new Uint8Array(bytes.subarray(start))); // a copy: the stream may reuse its chunk
      pendingBytes += bytes.length - start;
      if (pendingBytes > max) throw importErrors.lineTooLong(options.sourceName, line + 1, max);
    }
  }
  if (pendingBytes > 0) {
    line += 1;
    yield { line, text: decode(Buffer.concat(pending), line) };
  }
}

/** True for a line with nothing but spaces. */
export const isBlank = (text: string): boolean => text.trim() === '';
