/**
 * The embedded database on a thread of its own (see pglite.remote.ts): this thread opens PGlite,
 * runs the statements the service's thread sends it, one at a time as PGlite does, and, once asked
 * to, shares the database with the other local processes through its socket (share.ts).
 *
 * Messages in: query (outside or inside a transaction), begin and end of a transaction, share,
 * close. Each is answered by `{ id, ok, value }` or `{ id, ok: false, error }`; a commit by another
 * process over the socket is announced by `{ event: 'write', since }`.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { shareDatabase, type SharedDatabase } from './share.ts';
import type { ThreadReply, ThreadRequest, ThreadStart } from './pglite.remote.ts';
import { serializedError } from './pglite.remote.ts';

const port = parentPort;
if (!port) throw new Error('pglite.thread.ts runs as a worker thread');
const start = workerData as ThreadStart;

/** Sends an answer; one whose value cannot cross threads becomes that error's answer. */
function reply(message: ThreadReply): void {
  try {
    port!.postMessage(message);
  } catch (e) {
    port!.postMessage({ id: message.id, ok: false, error: serializedError(e) } satisfies ThreadReply);
  }
}

/** The parsers drizzle's PGlite driver passes (dates, intervals and some arrays left as text): functions do not cross threads, their type ids do. */
const asText = (oids: readonly number[] | undefined) =>
  oids ? Object.fromEntries(oids.map((oid) => [oid, (value: string) => value])) : undefined;

let client: PGlite;
try {
  client = await PGlite.create(start.dataDir);
} catch (e) {
  reply({ id: 0, ok: false, error: serializedError(e) });
  process.exit(0);
}
reply({ id: 0, ok: true, value: null });

/**
 * Open transactions by id: their PGlite transaction, how to end them, and their outcome (undefined
 * once committed, else the error that ended them; it never rejects).
 */
const open = new Map<number, { tx: Transaction; end: (commit: boolean) => void; outcome: Promise<unknown> }>();
let shared: SharedDatabase | undefined;
/** How a transaction ends when the service's thread asked for a rollback. */
class RolledBack extends Error {}

async function run(request: ThreadRequest): Promise<unknown> {
  switch (request.op) {
    case 'query': {
      const target = request.tx === undefined ? client : open.get(request.tx)?.tx;
      if (!target) throw new Error(`transaction ${request.tx} inconnue ou terminée`);
      return target.query(request.sql, request.params, { rowMode: request.rowMode, parsers: asText(request.textOids) });
    }
    case 'begin': {
      const id = request.tx;
      return new Promise<null>((begun, failed) => {
        let started = false;
        const outcome: Promise<unknown> = client.transaction((tx) => new Promise<void>((commit, rollback) => {
          started = true;
          open.set(id, { tx, end: (ok) => (ok ? commit() : rollback(new RolledBack())), outcome });
          begun(null);
        })).then(() => undefined, (e: unknown) => e);
        // a BEGIN that failed is the begin's answer (no end will come); later failures are the end's
        void outcome.then((e) => { if (!started) failed(e); });
      });
    }
    case 'end': {
      const t = open.get(request.tx);
      if (!t) throw new Error(`transaction ${request.tx} inconnue ou terminée`);
      open.delete(request.tx);
      t.end(request.commit);
      const e = await t.outcome;
      if (e !== undefined && !(e instanceof RolledBack)) throw e;
      return null;
    }
    case 'share':
      shared = await shareDatabase(client, request.path, {
        onWrite: (since) => port!.postMessage({ event: 'write', since: since.getTime() }),
        onError: (e) => port!.postMessage({ event: 'share-error', error: serializedError(e) }),
      });
      return null;
    case 'close':
      await shared?.close();
      await client.close();
      return null;
  }
}

port.on('message', (request: ThreadRequest) => {
  void run(request).then(
    (value) => reply({ id: request.id, ok: true, value }),
    (e: unknown) => reply({ id: request.id, ok: false, error: serializedError(e) }),
  ).finally(tidyWhenIdle);
});

/**
 * This thread turns rows into messages: what it allocates dies young, but a burst of large results
 * (the records read at a cold start) leaves its heap grown (151 MB, of which 16 in use, at national
 * scale), and V8 keeps that memory until a full collection that nothing here would trigger. When
 * the heap has grown by SLACK_BYTES since the last collection, a full collection runs once no
 * message came for 200 ms (then 16 MB at national scale).
 */
const SLACK_BYTES = 48 * 2 ** 20;
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
let idle: NodeJS.Timeout | undefined;
let collected = getHeapStatistics().total_heap_size;
function tidyWhenIdle() {
  if (idle) clearTimeout(idle);
  idle = undefined;
  if (getHeapStatistics().total_heap_size - collected < SLACK_BYTES) return;
  idle = setTimeout(() => {
    idle = undefined;
    collect();
    collected = getHeapStatistics().total_heap_size;
  }, 200);
  idle.unref();
}
