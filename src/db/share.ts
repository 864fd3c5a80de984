/**
 * Sharing the embedded database with the other local processes. PGlite is one PostgreSQL session
 * inside one process, and two processes opening its folder corrupt it; so the process holding the
 * folder (`passerelles serve`) speaks the PostgreSQL wire protocol on a Unix socket beside it, and
 * the commands run while it serves (`passerelles import`, `match`, `keys`…) connect there with
 * postgres.js instead of opening the folder (see `openStore`).
 *
 * Why not `@electric-sql/pglite-socket`: its releases pin one exact PGlite version (and seven
 * extension packages) as peer dependencies, and it lets the host's own queries slip into a
 * socket client's open transaction. Here a client holds PGlite's transaction lock from its first
 * message until PGlite is idle again (ReadyForQuery « I »): an import over the socket is one
 * transaction that the service's own queries wait for, never join.
 *
 * Each exchange that wrote (CommandComplete INSERT/UPDATE/DELETE/COPY/MERGE) and was committed is
 * reported with the instant it started, so that the service can read the rows changed since then
 * into its in-memory index (`updated_at` is the transaction time, later than that instant).
 *
 * Clients share the one session: they must use unnamed statements (postgres.js `prepare: false`)
 * and leave no session state behind. The socket is created with mode 0600 (this user only).
 */
import { createHash } from 'node:crypto';
import { chmodSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

/** The longest Unix socket path every platform accepts (sun_path is 104 or 108 bytes). */
const MAX_SOCKET_PATH = 100;
const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const GSSENC_REQUEST = 80877104;
const WRITE_TAGS = /^(INSERT|UPDATE|DELETE|COPY|MERGE)\b/;

/** Where the socket of a data folder lives: beside it, or in the temp folder when that path is too long. */
export function socketPathOf(dataDir: string): string {
  const beside = `${dataDir}.sock`;
  if (Buffer.byteLength(beside) <= MAX_SOCKET_PATH) return beside;
  const digest = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  return join(tmpdir(), `passerelles-${digest}.sock`);
}

export interface SharedDatabase {
  path: string;
  /** Closes the socket and every client connection (rolling back what they left open). */
  close(): Promise<void>;
}

export interface ShareOptions {
  /** Called after a client's exchange that wrote was committed, with the instant it started. */
  onWrite?: (since: Date) => void;
  onError?: (error: Error) => void;
}

/** The private parts of PGlite this bridge needs: its two locks and the raw protocol. */
interface PgliteInternals {
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
  execProtocolRawStream(message: Uint8Array, options: { onRawData: (data: Uint8Array) => void }): Promise<void>;
}

const frame = (type: string, body: Buffer = Buffer.alloc(0)): Buffer => {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
};
const SYNC = frame('S');
const ROLLBACK = frame('Q', Buffer.from('ROLLBACK\0', 'utf8'));

/** Reads the backend messages PGlite answers: the transaction status and whether something was written. */
class BackendScanner {
  private carry = Buffer.alloc(0);
  status: string | undefined;
  ready = false;
  wrote = false;
  /** The last CommandComplete tag seen, if any. */
  lastTag: string | undefined;

  push(data: Uint8Array): void {
    let buf = this.carry.length > 0 ? Buffer.concat([this.carry, data]) : Buffer.from(data);
    while (buf.length >= 5) {
      const length = buf.readInt32BE(1);
      if (buf.length < 1 + length) break;
      const type = String.fromCharCode(buf[0]);
      if (type === 'Z') { this.status = String.fromCharCode(buf[5]); this.ready = true; }
      if (type === 'C') {
        const tag = buf.toString('utf8', 5, length); // without its final NUL
        if (WRITE_TAGS.test(tag)) this.wrote = true;
        this.lastTag = tag;
      }
      buf = buf.subarray(1 + length);
    }
    this.carry = Buffer.from(buf);
  }
}

export async function shareDatabase(client: PGlite, path: string, options: ShareOptions = {}): Promise<SharedDatabase> {
  const pg = client as unknown as PgliteInternals;
  const sessions = new Set<Session>();

  class Session {
    private buffer = Buffer.alloc(0);
    private started = false;
    private chain: Promise<void> = Promise.resolve();
    private release: (() => void) | undefined;
    private exchangeStart = 0;
    private wrote = false;
    private lastTag: string | undefined;
    private closed = false;
    /** Settles once the client has gone and what it left open is rolled back. */
    readonly ended: Promise<void>;

    constructor(readonly socket: Socket) {
      socket.setNoDelay(true);
      socket.on('data', (data) => this.receive(data));
      socket.on('error', () => socket.destroy());
      this.ended = new Promise((resolve) => {
        socket.on('close', () => {
          this.closed = true;
          this.enqueue(() => this.finish());
          void this.chain.then(resolve);
        });
      });
    }

    private enqueue(task: () => Promise<void>): void {
      this.chain = this.chain.then(task).catch((e: Error) => {
        options.onError?.(e);
        this.socket.destroy();
      });
    }

    private receive(data: Buffer): void {
      this.buffer = Buffer.concat([this.buffer, data]);
      for (;;) {
        if (!this.started) {
          if (this.buffer.length < 8) return;
          const length = this.buffer.readInt32BE(0);
          if (this.buffer.length < length) return;
          const code = this.buffer.readInt32BE(4);
          const message = this.buffer.subarray(0, length);
          this.buffer = this.buffer.subarray(length);
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) { this.socket.write('N'); continue; }
          if (code === CANCEL_REQUEST) { this.socket.end(); return; }
          this.started = true;
          this.enqueue(() => this.run(new Uint8Array(message)));
          continue;
        }
        if (this.buffer.length < 5) return;
        const length = 1 + this.buffer.readInt32BE(1);
        if (this.buffer.length < length) return;
        const message = this.buffer.subarray(0, length);
        this.buffer = this.buffer.subarray(length);
        if (message[0] === 0x58) { this.socket.end(); return; } // Terminate: 'close' finishes the session
        this.enqueue(() => this.run(new Uint8Array(message)));
      }
    }

    /** Takes PGlite's transaction lock until `release` is called: the host's queries wait. */
    private acquire(): Promise<void> {
      return new Promise((acquired) => {
        void pg._runExclusiveTransaction(() => new Promise<void>((release) => { this.release = release; acquired(); }));
      });
    }

    private async exec(message: Uint8Array, forward: boolean): Promise<BackendScanner> {
      const scanner = new BackendScanner();
      await pg.runExclusive(() => pg.execProtocolRawStream(message, {
        onRawData: (data) => {
          scanner.push(data);
          if (forward && !this.socket.destroyed) this.socket.write(Buffer.from(data));
        },
      }));
      return scanner;
    }

    private async run(message: Uint8Array): Promise<void> {
      if (this.closed) return;
      if (!this.release) {
        await this.acquire();
        this.exchangeStart = Date.now();
        this.wrote = false;
      }
      const scanner = await this.exec(message, true);
      this.wrote ||= scanner.wrote;
      this.lastTag = scanner.lastTag ?? this.lastTag;
      // back to idle after a ROLLBACK (not one to a savepoint, which stays in the transaction): nothing committed
      if (scanner.ready && scanner.status === 'I') this.idle(this.lastTag !== 'ROLLBACK');
    }

    /** Back to idle: the exchange is over (committed or rolled back); the host may query again. */
    private idle(committed: boolean): void {
      const release = this.release;
      this.release = undefined;
      if (committed && this.wrote) options.onWrite?.(new Date(this.exchangeStart));
      this.wrote = false;
      this.lastTag = undefined;
      release?.();
    }

    /** The client left: whatever it left open is rolled back, then the lock goes back to the host. */
    private async finish(): Promise<void> {
      sessions.delete(this);
      if (!this.release) return;
      try {
        await this.exec(SYNC, false);
        await this.exec(ROLLBACK, false);
      } finally {
        this.idle(false);
      }
    }
  }

  rmSync(path, { force: true }); // left by a process that was killed (we hold the folder's lock)
  const server: Server = createServer((socket) => { sessions.add(new Session(socket)); });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => { server.off('error', reject); resolve(); });
  });
  chmodSync(path, 0o600);
  return {
    path,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const ending = [...sessions].map((s) => s.ended);
      for (const s of sessions) s.socket.destroy();
      await Promise.all(ending);
      await closed;
      rmSync(path, { force: true });
    },
  };
}
