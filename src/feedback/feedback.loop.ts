/**
 * The feedback loop of one process, assembled from the store: the retention purge of old
 * rankings, the immediate effects loaded from stored events and from the last 7 days of the
 * ranking log, the log and its background writer, the served rankings and the feedback use cases.
 * `serve` starts it and stops it (the log is flushed on stop); the command line flushes before it
 * exits. Nothing is opened at import time.
 */
import type { Config } from '../config/config.ts';
import type { Logger } from '../config/logger.ts';
import type { Store } from '../db/open.ts';
import type { Rng } from '../learning/events.ts';
import type { Matching } from '../matching/matching.usecases.ts';
import { createFeedbackEffects, WEEK_MS, type FeedbackEffects } from './effects.ts';
import { createFeedbackRepository } from './feedback.repository.ts';
import { createFeedback, type Feedback } from './feedback.usecases.ts';
import { createRankingLog, type RankingEntry, type RankingLog } from './ranking-log.ts';
import { createRankingsRepository } from './rankings.repository.ts';
import { createPooledServing, createServing, type PooledServing, type Serving, type ServingRanker } from './serving.ts';

export type FeedbackConfig = Pick<Config, 'rankingRetentionDays' | 'swapShare' | 'feedbackEffects' | 'maxDelegatesPerWeek' | 'rankingLogCapacity'>;

export interface FeedbackLoopOptions {
  store: Store;
  matching: Matching;
  config: FeedbackConfig;
  logger?: Logger;
  now?: () => Date;
  rng?: Rng;
  /** `api` or `cli`. */
  source: string;
  /** Writes one batch of the log (default: the store); tests slow it down or make it fail. */
  write?: (batch: RankingEntry[]) => Promise<void>;
  /** Pause of the log's writer (default 250 ms). */
  intervalMs?: number;
  /** Purge the rankings older than the retention period first (default true: `serve`). */
  purge?: boolean;
}

export interface FeedbackLoop {
  log: RankingLog;
  effects: FeedbackEffects;
  /** Served rankings over the loop's matching. */
  serving: Serving;
  /** Served rankings over another matching (an app given its own), with this loop's log and effects. */
  servingFor(matching: Matching): Serving;
  /** Served rankings made by ranking threads when they can (serving.pool.ts), with this loop's log and effects. */
  pooledServingFor(matching: Matching, ranker: ServingRanker): PooledServing;
  feedback: Feedback;
  /** Rankings purged at start (older than the retention period). */
  purged: number;
  start(): void;
  stop(): Promise<void>;
}

const DAY_MS = 24 * 3600 * 1000;

/** Removes the rankings older than the retention period; returns how many. */
export function purgeRankings(store: Pick<Store, 'db'>, retentionDays: number, now: Date): Promise<number> {
  return createRankingsRepository(store).purge(new Date(now.getTime() - retentionDays * DAY_MS));
}

/** Effects from what is stored: events that exclude, and the structures delegates saw this week. */
export async function loadEffects(store: Pick<Store, 'db'>, config: FeedbackConfig, now: () => Date): Promise<FeedbackEffects> {
  const effects = createFeedbackEffects({ enabled: config.feedbackEffects, maxDelegatesPerWeek: config.maxDelegatesPerWeek, now });
  for (const e of await createFeedbackRepository(store).effectful()) effects.addEvent({ ...e, kind: e.kind as 'partnership' });
  if (config.maxDelegatesPerWeek > 0) {
    const since = new Date(now().getTime() - WEEK_MS);
    for (const s of await createRankingsRepository(store).delegateImpressions(since)) effects.noteShown(s.requester, [s.structureId], s.at);
  }
  return effects;
}

export async function openFeedbackLoop(options: FeedbackLoopOptions): Promise<FeedbackLoop> {
  const { store, matching, config, logger } = options;
  const now = options.now ?? (() => new Date());
  const purged = options.purge === false ? 0 : await purgeRankings(store, config.rankingRetentionDays, now());
  if (purged > 0) logger?.info({ purged, retentionDays: config.rankingRetentionDays }, 'classements anciens purgés');
  const effects = await loadEffects(store, config, now);
  const rankings = createRankingsRepository(store);
  const log = createRankingLog({
    write: options.write ?? ((batch) => rankings.insert(batch)),
    capacity: config.rankingLogCapacity, intervalMs: options.intervalMs, logger,
  });
  const deps = (m: Matching) => ({ matching: m, effects, log, swapShare: config.swapShare, rng: options.rng, now, source: options.source });
  const servingFor = (m: Matching) => createServing(deps(m));
  const pooledServingFor = (m: Matching, ranker: ServingRanker) => createPooledServing({ ...deps(m), ranker });
  const feedback = createFeedback({ store, index: matching.index, log, effects, now });
  return {
    log, effects, serving: servingFor(matching), servingFor, pooledServingFor, feedback, purged, start: () => log.start(), stop: () => log.stop(),
  };
}
