/**
 * Several API instances on one PostgreSQL server: each follows the changes the others commit.
 * A trigger (migration 0006) announces every committed write of a structure or resource on the
 * channel `passerelles_records` with the changed ids; this listener reads those rows and pushes
 * them to the index (applyChange: upserted, or removed when archived). When the connection is
 * (re)established — at start and after a lost connection — it catches up by updated_at since
 * the last instant it knows it saw, so nothing committed meanwhile is missed. A notification too
 * large for ids ("all") also means a catch-up; so does one whose rows cannot be read, and a
 * catch-up that fails is tried again every half second until one succeeds. A listening
 * connection that stops delivering without closing is found by a probe notification the follower
 * sends itself every two seconds, and replaced (see `watch`).
 *
 * `onModelChange` is left for the model registry (issue 15): the promoted model's pickup can
 * listen on the same connection (channel `passerelles_models`).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Sql } from 'postgres';
import type { Logger } from '../config/logger.ts';
import type { Store } from '../db/open.ts';
import type { EntityKind } from '../domain/types.ts';
import type { Index } from '../engine/index.ts';
import { createRecordsRepository, type RecordStamps } from '../records/records.repository.ts';
import { applyChange, catchUp } from './matching.sync.ts';

export const RECORDS_CHANNEL = 'passerelles_records';
export const MODELS_CHANNEL = 'passerelles_models';

/** Rows committed this long before a catch-up's start are certainly seen by it (transactions in flight). */
const CATCH_UP_MARGIN_MS = 60_000;
/** Seconds between two tries of LISTEN while the server is away. */
const RELISTEN_DELAY_S = 0.5;
/** Milliseconds between two probes of the listening connection (see `watch`). */
const PROBE_EVERY_MS = 2000;
/** At start without `since`, changes of the last minutes are applied again: those committed while the index was built. */
const STARTUP_WINDOW_MS = 10 * 60_000;

export interface FollowOptions {
  databaseUrl: string;
  store: Store;
  index: Index;
  logger: Logger;
  /**
   * The instant the index is complete up to (LoadedIndex.since): the first catch-up starts there.
   * Without it, the last ten minutes are re-applied (a minute of work after a national import).
   */
  since?: Date;
  /**
   * What the index holds of each record (id → updated_at, LoadedIndex.stamps of an index built from
   * the records, kept up to date by the records' use cases): a catch-up leaves alone the rows at those
   * instants. Not for an index from a snapshot, whose stamps are read after it is ready.
   */
  stamps?: RecordStamps;
  /** Milliseconds between two probes of the listening connection (default 2,000). */
  probeEveryMs?: number;
  /** Called with the payload of `passerelles_models` (the registry's promotion), if given. */
  onModelChange?: (payload: string) => void | Promise<void>;
}

export interface Follower {
  /** Resolves once listening (and caught up). */
  ready: Promise<void>;
  /** Changes applied so far (for tests and metrics). */
  applied(): number;
  stop(): Promise<void>;
}

/** What the trigger announces (or, with `probe`, a follower's check of its own listening connection). */
interface Notice { kind: EntityKind; ids?: string[]; all?: boolean; probe?: string; seq?: number }

export async function followStore(options: FollowOptions): Promise<Follower> {
  const { store, index, logger } = options;
  const repository = createRecordsRepository(store);
  const { default: postgres } = await import('postgres');
  let applied = 0;
  /** Database time up to which every committed change is known to be applied (minus the margin). */
  let watermark: Date | undefined = options.since;
  let chain: Promise<void> = Promise.resolve();
  const serial = (work: () => Promise<void>) => {
    chain = chain.then(work).catch((e: Error) => logger.error({ err: e }, 'suivi des fiches : échec d’une mise à jour de l’index'));
    return chain;
  };

  const dbNow = async () => new Date((await store.rows<{ now: string | Date }>(sql`select clock_timestamp() as now`))[0].now);

  async function catchUpAll(): Promise<void> {
    const started = await dbNow();
    // At the first listen: the changes committed while the index was being built.
    const since = new Date((watermark ?? new Date(started.getTime() - STARTUP_WINDOW_MS)).getTime() - CATCH_UP_MARGIN_MS);
    const { stamps } = options;
    const skipKnown = stamps !== undefined;
    const n = (await catchUp(store, index, 'structure', since, stamps?.structure, skipKnown))
      + (await catchUp(store, index, 'resource', since, stamps?.resource, skipKnown));
    applied += n;
    if (n > 0) logger.info({ changes: n, since: since.toISOString() }, 'suivi des fiches : rattrapage');
    else logger.debug({ since: since.toISOString() }, 'suivi des fiches : rattrapage, rien de nouveau');
    watermark = started;
  }

  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  /**
   * A catch-up that fails (the server gone again, a connection refused while it restarts) is tried
   * again every half second until one succeeds: the watermark only moves on success, so nothing
   * committed meanwhile is skipped.
   */
  async function catchUpSurely(): Promise<void> {
    try {
      await catchUpAll();
    } catch (e) {
      logger.warn({ err: e }, 'suivi des fiches : rattrapage impossible pour l’instant, nouvel essai dans 0,5 s');
      if (!stopped && !retry) retry = setTimeout(() => { retry = undefined; void serial(catchUpSurely); }, RELISTEN_DELAY_S * 1000);
    }
  }

  async function apply(notice: Notice): Promise<void> {
    if (notice.all || !notice.ids) return catchUpSurely();
    try {
      for (const id of notice.ids) {
        const row = notice.kind === 'structure' ? await repository.getStructure(id) : await repository.getResource(id);
        if (row) applyChange(index, notice.kind, row);
        else index.remove(notice.kind, id);
        applied += 1;
      }
    } catch (e) {
      // The rows announced could not be read: a catch-up (retried until it succeeds) brings them.
      logger.warn({ err: e, kind: notice.kind, ids: notice.ids.length }, 'suivi des fiches : lecture des fiches annoncées impossible, rattrapage');
      await catchUpSurely();
    }
  }

  let listens = 0;
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => { resolveReady = resolve; });

  /** This follower's probes: a notification it sends itself and must hear back (see `watch`). */
  const probeId = randomUUID();
  let probeSeq = 0;
  let probe: { seq: number; sentAt: number } | undefined;

  function onRecords(payload: string): void {
    let notice: Notice;
    try { notice = JSON.parse(payload) as Notice; } catch { return; }
    if (notice.probe !== undefined) {
      if (notice.probe === probeId && notice.seq === probe?.seq) probe = undefined;
      return; // another instance's probe, or an old one of ours
    }
    logger.debug({ kind: notice.kind, ids: notice.ids?.length, all: notice.all }, 'suivi des fiches : changement annoncé');
    void serial(() => apply(notice));
  }

  function onListen(): void {
    // Called at the first LISTEN, after each reconnection and on a replaced connection.
    if (listens++ > 0) logger.info({ channel: RECORDS_CHANNEL }, 'suivi des fiches : écoute rétablie, rattrapage');
    void serial(catchUpSurely).then(resolveReady);
  }

  async function listenOn(): Promise<Sql> {
    // postgres.js listens again by itself after each lost connection, but its default delay grows to
    // 20 s between tries: 0.5 s, so that the following resumes within a second of the server's return.
    const client = postgres(options.databaseUrl, { max: 1, onnotice: () => {}, connect_timeout: 10, backoff: () => RELISTEN_DELAY_S });
    try {
      await client.listen(RECORDS_CHANNEL, onRecords, onListen);
      if (options.onModelChange) {
        const onModel = options.onModelChange;
        await client.listen(MODELS_CHANNEL, (payload) => { void serial(async () => { await onModel(payload); }); });
      }
      return client;
    } catch (e) {
      await client.end({ timeout: 0 }).catch(() => {});
      throw e;
    }
  }

  let listening = await listenOn();

  /**
   * A listening connection can fail without closing (a half-open TCP connection, a proxy or a
   * firewall dropping it, a reconnection that never completes): notifications would stop without
   * an error. So the follower sends itself a probe notification every `probeEveryMs`; one not heard
   * back by the next tick means the connection is replaced (and the new one's LISTEN catches up).
   * While the database is unreachable no probe is sent and nothing is concluded.
   */
  let watching = false;
  async function watch(): Promise<void> {
    if (stopped || watching) return;
    watching = true;
    try {
      if (probe) {
        logger.warn({ channel: RECORDS_CHANNEL, sinceMs: Date.now() - probe.sentAt }, 'suivi des fiches : l’écoute ne reçoit plus rien, connexion remplacée');
        const fresh = await listenOn();
        const old = listening;
        listening = fresh;
        probe = undefined;
        await old.end({ timeout: 0 }).catch(() => {});
      } else {
        const next = { seq: ++probeSeq, sentAt: Date.now() };
        probe = next;
        await store.rows(sql`select pg_notify(${RECORDS_CHANNEL}, ${JSON.stringify({ probe: probeId, seq: next.seq })})`);
      }
    } catch {
      probe = undefined; // the database is away: postgres.js reconnects, the next tick probes again
    } finally {
      watching = false;
    }
  }
  const watcher = setInterval(() => { void watch(); }, options.probeEveryMs ?? PROBE_EVERY_MS);
  watcher.unref();

  return {
    ready,
    applied: () => applied,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      clearInterval(watcher);
      // No UNLISTEN first: on a connection that stopped answering it would wait forever; ending the
      // client closes the session, and its LISTENs with it.
      await chain;
      await listening.end({ timeout: 2 });
    },
  };
}
