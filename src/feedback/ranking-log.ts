/**
 * The ranking log, off the request path: a request only pushes its ranking into a bounded buffer
 * in memory (no await, no I/O); a background writer takes the buffer in batches and hands each
 * batch to `write` (one transaction in the store). A full buffer refuses the ranking and counts
 * it (`dropped`, in /metrics): a burst never loses rankings silently. A batch whose write fails
 * goes back to the front of the buffer and is tried again later (what no longer fits is dropped,
 * and counted too).
 *
 *   push (request) → buffer (≤ capacity) → writer: every intervalMs, or at once when a batch is
 *   full → write(batch) → written
 *
 * `flush()` writes everything queued so far (the command line before it exits, a feedback event
 * naming a ranking that may still be in the buffer); `stop()` stops the timer and flushes.
 */
import type { Logger } from '../config/logger.ts';

/** One ranking as served: who asked, what, with which model, and each item shown. */
export interface RankingEntry {
  id: string;
  servedAt: Date;
  /** The key that asked; null for the command line's operator. */
  keyId: string | null;
  role: string;
  /** Who the ranking is for (per-requester effects): the key id, or `operateur`. */
  requester: string;
  queryKind: 'structure' | 'resource';
  /** The record's id, or `sha256:…` of a preview's canonical body. */
  queryId: string;
  preview: boolean;
  asOf: string;
  modelVersion: string;
  featureNames: readonly string[];
  /** Position k swapped with k+1 at random, or null. */
  swappedAt: number | null;
  /** `api` or `cli`. */
  source: string;
  /** The candidate model interleaved with the current one (team-draft), if any. */
  interleavedWith?: string;
  /** The items shown, in order. */
  items: RankingItems;
}

/** One item of a ranking as shown; `team`: which model's pick it is, in an interleaved ranking. */
export interface RankingItem { position: number; candidateId: string; score: number; features: number[]; team?: 'current' | 'candidate' }

/**
 * The items of a ranking, packed: positions, scores and every item's feature values in typed
 * arrays, the candidates' ids in one array. A ranking waits in the log's buffer for a write (up to
 * a few seconds under load), long enough to outlive a young-generation collection: as 20 objects
 * and 20 arrays it was promoted to the old generation with every ranking served; packed, it is 5
 * objects and its numbers are outside the JavaScript heap (at national scale, 14.2 -> 12.1 KB
 * promoted per explained match; most of the rest was rank.ts's spreads, since removed).
 */
export class RankingItems {
  private constructor(
    readonly candidateIds: readonly string[],
    readonly positions: Int32Array,
    readonly scores: Float64Array,
    /** Item k's values are features[k * width, (k + 1) * width). */
    readonly features: Float64Array,
    readonly width: number,
    readonly teams: readonly ('current' | 'candidate' | undefined)[] | undefined,
  ) {}

  get length(): number { return this.candidateIds.length; }

  static of(items: readonly RankingItem[], width = items[0]?.features.length ?? 0): RankingItems {
    const features = new Float64Array(items.length * width);
    items.forEach((item, k) => {
      if (item.features.length !== width) throw new Error(`ranking item ${k}: ${item.features.length} feature values, ${width} expected`);
      features.set(item.features, k * width);
    });
    const teams = items.some((i) => i.team) ? items.map((i) => i.team) : undefined;
    return new RankingItems(items.map((i) => i.candidateId), Int32Array.from(items, (i) => i.position),
      Float64Array.from(items, (i) => i.score), features, width, teams);
  }

  /** Item k's feature values (a view: no copy). */
  featuresAt(k: number): Float64Array { return this.features.subarray(k * this.width, (k + 1) * this.width); }

  at(k: number): RankingItem {
    const team = this.teams?.[k];
    return {
      position: this.positions[k], candidateId: this.candidateIds[k], score: this.scores[k], features: [...this.featuresAt(k)],
      ...(team ? { team } : {}),
    };
  }

  map<T>(f: (item: RankingItem, k: number) => T): T[] {
    return this.candidateIds.map((_, k) => f(this.at(k), k));
  }
}

export interface RankingLogStats {
  /** Waiting in memory. */
  queued: number;
  /** Written to the store since start. */
  written: number;
  /** Refused because the buffer was full (or lost after failed writes). */
  dropped: number;
  /** Batches whose write failed (retried). */
  failures: number;
}

export interface RankingLogOptions {
  /** Writes one batch (one transaction); rejects when nothing of it was written. */
  write(batch: RankingEntry[]): Promise<void>;
  /** Most rankings waiting in memory (default 10,000). */
  capacity?: number;
  /** Most rankings per write (default 200). */
  batchSize?: number;
  /** Pause of the writer between batches when the buffer is not full (default 250 ms). */
  intervalMs?: number;
  logger?: Logger;
}

export interface RankingLog {
  /** Queues a ranking; false when the buffer is full (the ranking is counted as dropped). Never waits. */
  push(entry: RankingEntry): boolean;
  /** A ranking not yet written (waiting in memory, or in the write under way), if any. */
  pending(id: string): RankingEntry | undefined;
  /** Writes everything queued so far. */
  flush(): Promise<void>;
  start(): void;
  /** Stops the writer and flushes what is left. */
  stop(): Promise<void>;
  stats(): RankingLogStats;
}

export function createRankingLog(options: RankingLogOptions): RankingLog {
  const capacity = options.capacity ?? 10_000;
  const batchSize = options.batchSize ?? 200;
  const intervalMs = options.intervalMs ?? 250;
  let buffer: RankingEntry[] = [];
  /** Every ranking not yet written, by id: in the buffer or in the write under way. */
  const unwritten = new Map<string, RankingEntry>();
  const counts = { written: 0, dropped: 0, failures: 0 };
  let timer: NodeJS.Timeout | undefined;
  /** The write in progress: one at a time, in order. */
  let writing: Promise<void> = Promise.resolve();
  let running = false;

  const schedule = (delay: number) => {
    if (!running || timer) return;
    timer = setTimeout(() => { timer = undefined; void drain(1).finally(() => schedule(intervalMs)); }, delay);
    timer.unref();
  };

  /** Writes up to `rounds` batches (Infinity: until the buffer is empty or a write fails). */
  function drain(rounds: number): Promise<void> {
    writing = writing.then(async () => {
      for (let i = 0; i < rounds && buffer.length > 0; i++) {
        const batch = buffer.slice(0, batchSize);
        buffer = buffer.slice(batch.length);
        try {
          await options.write(batch);
          counts.written += batch.length;
          for (const e of batch) unwritten.delete(e.id);
        } catch (err) {
          counts.failures += 1;
          const room = capacity - buffer.length;
          const back = batch.slice(0, Math.max(0, room));
          counts.dropped += batch.length - back.length;
          for (const e of batch.slice(back.length)) unwritten.delete(e.id);
          buffer = [...back, ...buffer];
          options.logger?.error({ err, batch: batch.length, queued: buffer.length }, 'journal des classements : écriture impossible, nouvel essai plus tard');
          return;
        }
      }
    });
    return writing;
  }

  return {
    push(entry) {
      if (buffer.length >= capacity) {
        counts.dropped += 1;
        if (counts.dropped === 1 || counts.dropped % 1000 === 0) {
          options.logger?.warn({ dropped: counts.dropped, capacity }, 'journal des classements plein : classement non journalisé');
        }
        return false;
      }
      buffer.push(entry);
      unwritten.set(entry.id, entry);
      if (buffer.length >= batchSize && running && timer) {
        clearTimeout(timer);
        timer = undefined;
        schedule(0);
      }
      return true;
    },
    pending: (id) => unwritten.get(id),
    async flush() {
      const before = counts.failures;
      await drain(Infinity);
      if (counts.failures > before) throw new Error('journal des classements : écriture impossible');
    },
    start() {
      running = true;
      schedule(intervalMs);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await drain(Infinity);
      if (buffer.length > 0) {
        counts.dropped += buffer.length;
        options.logger?.error({ lost: buffer.length }, 'journal des classements : classements non écrits à l’arrêt');
        buffer = [];
        unwritten.clear();
      }
    },
    stats: () => ({ queued: buffer.length, ...counts }),
  };
}
