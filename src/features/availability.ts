/**
 * Availability window against the as-of date: 1 while available; an offer that opens later
 * loses value with the wait (0.7 next month, 0.3 a year or more ahead); one that closes within
 * 90 days is worth 0.6. An expired window is a hard constraint (constraints.ts).
 */
import type { Feature } from './feature.ts';
import type { ResourceProfile } from '../profiles/profiles.ts';

export const SOON_ENDING_DAYS = 90;

export const isExpired = (r: ResourceProfile, asOfDay: number): boolean =>
  r.untilDay !== undefined && r.untilDay < asOfDay;

export const availabilityFit: Feature = {
  name: 'availability',
  label: 'disponibilité',
  compute(_s, r, pair) {
    if (isExpired(r, pair.asOfDay)) return 0;
    if (r.fromDay !== undefined && r.fromDay > pair.asOfDay) {
      const months = (r.fromDay - pair.asOfDay) / 30.44;
      return Math.max(0.3, 0.7 - 0.4 * Math.min(1, months / 12));
    }
    if (r.untilDay !== undefined && r.untilDay - pair.asOfDay < SOON_ENDING_DAYS) return 0.6;
    return 1;
  },
};
