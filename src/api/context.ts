/**
 * What the routes of the API share: the dependencies given to `createApp` (nothing is opened
 * here) and what the app builds once from them (repositories, metrics, the clock).
 */
import type { Config } from '../config/config.ts';
import type { Logger } from '../config/logger.ts';
import type { Store } from '../db/open.ts';
import type { Matching } from '../matching/matching.usecases.ts';
import type { Geography } from '../geo/geography.ts';
import type { Records } from '../records/records.usecases.ts';
import type { Keys } from '../keys/keys.usecases.ts';
import type { Metrics } from './metrics.ts';
import type { Reports } from '../batch/batch.reports.ts';

export interface ApiDeps {
  config: Config;
  logger: Logger;
  store: Store;
  /** Matching over the index built from the store; API writes keep the index up to date. */
  matching: Matching;
  geography: Geography;
  /** Current time (tests pin it); default `new Date()`. */
  clock?: () => Date;
}

export interface ApiContext extends Omit<ApiDeps, 'clock'> {
  now: () => Date;
  records: Records;
  keys: Keys;
  metrics: Metrics;
  reports: Reports;
}
