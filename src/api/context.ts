/**
 * What the routes of the API share: the dependencies given to `createApp` (nothing is opened
 * here) and what the app builds once from them (repositories, metrics, the clock).
 */
import type { Config } from '../config/config.ts';
import type { Logger } from '../config/logger.ts';
import type { Store } from '../db/open.ts';
import type { Engine } from '../engine/types.ts';
import type { Geography } from '../geo/geography.ts';
import type { KeysRepository } from './auth/keys.repository.ts';
import type { Metrics } from './metrics.ts';

export interface ApiDeps {
  config: Config;
  logger: Logger;
  store: Store;
  /** The matching engine, already built from the store; API writes keep it up to date. */
  engine: Engine;
  geography: Geography;
  /** Current time (tests pin it); default `new Date()`. */
  clock?: () => Date;
}

export interface ApiContext extends Omit<ApiDeps, 'clock'> {
  now: () => Date;
  keys: KeysRepository;
  metrics: Metrics;
}
