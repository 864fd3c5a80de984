/**
 * Requests served in arrival order, a few milliseconds of work per turn of the event loop.
 *
 * Why: libuv accepts one new connection per turn of the loop (libuv/libuv#3696, Node 20), and
 * a turn runs every request that arrived on the connections already open. Under load (50
 * connections, ~2 ms per explained match) a turn lasts ~100 ms, so a burst of 40 new connections
 * is accepted over 40 turns: their first requests waited up to 2.9 s while the open connections
 * were served (reproduced with a bare `http.createServer`). A request that arrives just after a
 * turn began also waits for that whole turn and then for its place in the next one.
 *
 * How: a request is run at once while the current turn has lasted less than `sliceMs`; otherwise
 * it waits in one queue, served first-come first-served from `setImmediate`, `sliceMs` per turn.
 * The loop then turns every few milliseconds: new connections are accepted, and every request
 * waits for those before it, not for whole turns. At low load nothing changes (the request runs
 * at once). A request whose client went away while it waited is not run. A match is answered
 * within its handler's call (the key from the cache, the ranking from memory), so its time is
 * what the slice counts.
 */
import type { IncomingMessage, RequestListener } from 'node:http';

export interface Turns {
  /** The listener to give to `http.createServer`. */
  listener: RequestListener;
  /** Requests waiting now. */
  waiting(): number;
}

export interface TurnOptions {
  /** How long a turn of the event loop may run requests before the next request waits for the next turn, in milliseconds. */
  sliceMs: number;
  now?: () => number;
  /** Runs `fn` after the loop's poll phase (default `setImmediate`): a test gives its own. */
  defer?: (fn: () => void) => void;
}

export const DEFAULT_SLICE_MS = 5;

/** When each request reached the server, before it waited its turn (Date.now()). */
const arrivals = new WeakMap<IncomingMessage, number>();

/** When a request arrived (Date.now()), its wait for a turn included: now for one that never went through the turns. */
export const arrivedAt = (req: IncomingMessage): number => arrivals.get(req) ?? Date.now();

export function takingTurns(app: RequestListener, options: TurnOptions): Turns {
  const now = options.now ?? (() => performance.now());
  const defer = options.defer ?? ((fn: () => void) => { setImmediate(fn); });
  let queue: Parameters<RequestListener>[] = [];
  let head = 0;
  /** When the current turn began running requests; undefined when it has run none. */
  let turnStart: number | undefined;
  let scheduled = false;

  /** False when the client went away while it waited: nothing was done, nothing is answered. */
  const serve = (req: IncomingMessage, res: Parameters<RequestListener>[1]): boolean => {
    if (req.destroyed || res.destroyed) return false;
    app(req, res);
    return true;
  };

  const schedule = () => {
    if (scheduled || (head === queue.length && turnStart === undefined)) return;
    scheduled = true;
    defer(run);
  };

  /**
   * A new turn: waiting requests, first come first served, for `sliceMs`. A request not answered
   * when its handler returns (it waits for the database) ends the run: what it does next runs
   * after this callback (its promises), uncounted, so the next request waits for the next turn.
   */
  function run() {
    scheduled = false;
    const t0 = now();
    turnStart = head < queue.length ? t0 : undefined;
    try {
      // At least one request per turn, whatever the slice.
      for (let first = true; head < queue.length && (first || now() - t0 < options.sliceMs); first = false) {
        const [req, res] = queue[head];
        queue[head++] = undefined as unknown as Parameters<RequestListener>;
        if (serve(req, res) && !res.writableEnded) break;
      }
    } finally {
      // Served slots dropped now and then under a lasting backlog, all of them once it is empty.
      if (head === queue.length || (head > 1024 && head * 2 > queue.length)) {
        queue = queue.slice(head);
        head = 0;
      }
      // Even after a handler threw (an uncaught exception, as for any listener): the others keep their turns.
      schedule();
    }
  }

  const listener: RequestListener = (req, res) => {
    arrivals.set(req, Date.now());
    const t = now();
    turnStart ??= t;
    if (head === queue.length && t - turnStart < options.sliceMs) serve(req, res);
    else queue.push([req, res]);
    schedule();
  };

  return { listener, waiting: () => queue.length - head };
}
