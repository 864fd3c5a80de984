/**
 * What the routes of the API share: the dependencies given to `createApp` (nothing is opened
 * here) and what the app builds once from them (repositories, metrics, the clock).
 */
import type { Config } from '../config/config.ts';
import type { Logger } from '../config/logger.ts';
import type { Circuit } from '../db/circuit.ts';
import type { Store } from '../db/open.ts';
import type { Matching } from '../matching/matching.usecases.ts';
import type { IndexSync } from '../records/records.usecases.ts';
import type { Geography } from '../geo/geography.ts';
import type { Records } from '../records/records.usecases.ts';
import type { Keys } from '../keys/keys.usecases.ts';
import type { Models } from '../models/models.usecases.ts';
import type { Metrics } from './metrics.ts';
import type { WebPorts } from '../web/ports.ts';
import type { FeedbackLoop } from '../feedback/feedback.loop.ts';
import type { PooledServing } from '../feedback/serving.ts';
import type { RankingPool } from '../feedback/serving.pool.ts';
import type { Reports } from '../batch/batch.reports.ts';
import type { Audit } from '../audit/audit.usecases.ts';

export interface ApiDeps {
  config: Config;
  logger: Logger;
  store: Store;
  /** Matching over the index built from the store; API writes keep the index up to date. */
  matching: Matching;
  geography: Geography;
  /** Served rankings (logged, with the feedback effects) and feedback events; started and stopped by the caller. */
  feedback: FeedbackLoop;
  /**
   * Keeps the index converging with the store when a catch-up fails (matching.follow.ts): told
   * of an import whose catch-up failed, and asked by /readyz whether the index is behind.
   */
  indexSync?: IndexSync;
  /** Current time (tests pin it); default `new Date()`. */
  clock?: () => Date;
  /** Ranking threads (serving.pool.ts): the API's matches are ranked there when one is ready. */
  pool?: RankingPool;
  /** The database's circuit breaker (default: one probing the store with `select 1` every second). */
  circuit?: Circuit;
  /** What the web pages use from the feedback loop, the nightly reports and the models registry (each optional). */
  web?: WebPorts;
}

export interface ApiContext extends Omit<ApiDeps, 'clock' | 'web' | 'circuit'> {
  now: () => Date;
  /** Rankings as served over `matching`: logged, with the feedback effects; ranked in a thread of `pool` when there is one. */
  serving: PooledServing;
  records: Records;
  keys: Keys;
  models: Models;
  metrics: Metrics;
  reports: Reports;
  audit: Audit;
}
