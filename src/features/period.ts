/**
 * The period the structure's need text states (text/periods.ts) against the offer's availability
 * window, as the judging rubric reads it: a window that ends before the need starts, or opens
 * after the date the need must be met, does not answer it; one that opens half a year after the
 * need starts, or ends within two years for a need meant to last, answers it poorly.
 *   - 1    no window, nothing stated (or only dates already past), or the window covers it;
 *   - 0    the window ends before the need starts;
 *   - 0.2  it opens after the date by which the need must be met;
 *   - 0.3  it opens more than LATE_DAYS after the need starts, or a lasting need meets a window
 *          ending within LASTING_DAYS.
 */
import type { Feature } from './feature.ts';
import type { ResourceProfile, StructureProfile } from '../profiles/profiles.ts';

export const LATE_DAYS = 183;
export const LASTING_DAYS = 730;
/** Dates this long before the reference day are the past, not the need (« en 2026 nous avons… »). */
const PAST_SLACK_DAYS = 31;

/** A stated day, unless it lies in the past (no closure per call: this runs for every scored pair). */
const current = (day: number | undefined, asOfDay: number): number | undefined =>
  (day !== undefined && day >= asOfDay - PAST_SLACK_DAYS ? day : undefined);

export type PeriodMismatch = 'ends_before' | 'opens_after_deadline' | 'opens_late' | 'too_short';

export function periodMismatch(s: StructureProfile, r: ResourceProfile, asOfDay: number): PeriodMismatch | undefined {
  const { fromDay, untilDay } = r;
  if (fromDay === undefined && untilDay === undefined) return undefined;
  const starts = current(s.needPeriod.from, asOfDay), by = current(s.needPeriod.by, asOfDay);
  if (starts !== undefined && untilDay !== undefined && untilDay < starts) return 'ends_before';
  if (by !== undefined && fromDay !== undefined && fromDay > by) return 'opens_after_deadline';
  if (starts !== undefined && fromDay !== undefined && fromDay > starts + LATE_DAYS) return 'opens_late';
  if (s.needPeriod.lasting && untilDay !== undefined && untilDay < Math.max(starts ?? asOfDay, asOfDay) + LASTING_DAYS) return 'too_short';
  return undefined;
}

const VALUES: Record<PeriodMismatch, number> = { ends_before: 0, opens_after_deadline: 0.2, opens_late: 0.3, too_short: 0.3 };

export const periodFit: Feature = {
  name: 'need_period',
  label: 'période demandée',
  compute(s, r, pair) {
    const mismatch = periodMismatch(s, r, pair.asOfDay);
    return mismatch === undefined ? 1 : VALUES[mismatch];
  },
};
