/**
 * The nightly schedule of `serve`: the batch at a cron time, Paris time (croner). A night missed
 * (service down at that time) runs at the next start: when no run started since the last
 * scheduled time, or a run was left unfinished, one runs at once. Several instances may share
 * one database: the run lock lets one of them run, the others skip that night.
 */
import { Cron } from 'croner';
import type { Logger } from '../config/logger.ts';
import { isPasserellesError } from '../domain/errors.ts';

export const NIGHTLY_TIME_ZONE = 'Europe/Paris';

export interface NightlyOptions {
  cron: string;
  logger: Logger;
  /** When the last run (finished or not, but not failed) started; and whether one is unfinished. */
  lastStartedAt: () => Promise<Date | undefined>;
  hasUnfinished: () => Promise<boolean>;
  /** Runs the batch (resuming an unfinished one). */
  run: () => Promise<unknown>;
  now?: () => Date;
}

export interface Nightly {
  /** Next scheduled start. */
  next(): Date | null;
  /** Settles when the catch-up decision at start (and the run it started, if any) is over. */
  started: Promise<'ran' | 'skipped'>;
  stop(): void;
}

/** The last scheduled time at or before `now`. */
export function lastScheduled(cron: string, now: Date): Date | undefined {
  return new Cron(cron, { timezone: NIGHTLY_TIME_ZONE, paused: true }).previousRuns(1, now)[0];
}

/** Whether a night was missed: a run unfinished, or none started since the last scheduled time (once there was a first run). */
export function missedNight(lastScheduledAt: Date | undefined, lastStartedAt: Date | undefined, unfinished: boolean): boolean {
  if (unfinished) return true;
  // A database that never had a run (a fresh install) waits for the first scheduled time.
  if (!lastScheduledAt || !lastStartedAt) return false;
  return lastStartedAt.getTime() < lastScheduledAt.getTime();
}

export function scheduleNightly(options: NightlyOptions): Nightly {
  const { logger } = options;
  const now = options.now ?? (() => new Date());
  const attempt = async (why: string) => {
    try {
      logger.info({ why }, 'calcul de nuit : lancement');
      await options.run();
    } catch (e) {
      if (isPasserellesError(e) && e.code === 'batch.busy') logger.info('calcul de nuit : déjà lancé par un autre processus');
      else logger.error({ err: e }, 'calcul de nuit : échec (il reprendra au prochain lancement)');
    }
  };
  const job = new Cron(options.cron, { timezone: NIGHTLY_TIME_ZONE, protect: true }, () => attempt('heure prévue'));
  const started = (async () => {
    const missed = missedNight(lastScheduled(options.cron, now()), await options.lastStartedAt(), await options.hasUnfinished());
    if (!missed) return 'skipped' as const;
    await attempt('nuit manquée ou calcul inachevé');
    return 'ran' as const;
  })();
  return { next: () => job.nextRun(), started, stop: () => job.stop() };
}
