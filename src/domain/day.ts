/**
 * Days as the engine counts them: whole days since 1970-01-01 (UTC) for a YYYY-MM-DD date. The
 * one helper for the match request's date, availability windows and explanations.
 */
export const dayNumber = (iso: string): number => Math.floor(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);

/** Whether `text` is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const t = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === text;
}

/** Today's date YYYY-MM-DD (UTC) on a clock. */
export const isoDay = (now: Date): string => now.toISOString().slice(0, 10);
