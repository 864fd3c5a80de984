/**
 * Days as the engine counts them: whole days since 1970-01-01 (UTC) for a YYYY-MM-DD date. The
 * one helper for the match request's date, availability windows and explanations.
 */
export const dayNumber = (iso: string): number => Math.floor(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);

/** Today's date YYYY-MM-DD (UTC) on a clock. */
export const isoDay = (now: Date): string => now.toISOString().slice(0, 10);
