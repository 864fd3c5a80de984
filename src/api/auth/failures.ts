/**
 * Failed authentications per client address: after `maxFailures` refused keys within a minute,
 * every request from that address is answered 429 `auth.too_many_failures` (with `Retry-After`)
 * until the minute that began with its first failure is over — a valid key included, or the
 * answers would still tell a guessed key from a wrong one. Keys cannot then be guessed at the
 * database's pace. In this process only, like the rate limiter; the address is the socket's
 * (behind a proxy, the proxy's: set express's `trust proxy` to read X-Forwarded-For).
 */
export const FAILURE_WINDOW_MS = 60_000;
/** Addresses whose window is over are dropped when the map grows past this size. */
const SWEEP_ABOVE = 10_000;

export interface FailureLimiter {
  /** Seconds the address must wait before trying again, 0 when it may try now. */
  retryAfterS(address: string, nowMs: number): number;
  /** Counts a refused key from the address. */
  fail(address: string, nowMs: number): void;
}

export function createFailureLimiter(maxFailures: number, windowMs = FAILURE_WINDOW_MS): FailureLimiter {
  const windows = new Map<string, { failures: number; startMs: number }>();
  const current = (address: string, nowMs: number) => {
    const entry = windows.get(address);
    if (entry && nowMs - entry.startMs < windowMs && nowMs >= entry.startMs) return entry;
    if (entry) windows.delete(address);
    return undefined;
  };
  return {
    retryAfterS(address, nowMs) {
      const entry = current(address, nowMs);
      if (!entry || entry.failures < maxFailures) return 0;
      return Math.max(1, Math.ceil((entry.startMs + windowMs - nowMs) / 1000));
    },
    fail(address, nowMs) {
      const entry = current(address, nowMs);
      if (entry) { entry.failures += 1; return; }
      if (windows.size >= SWEEP_ABOVE) for (const [a, e] of windows) if (nowMs - e.startMs >= windowMs) windows.delete(a);
      windows.set(address, { failures: 1, startMs: nowMs });
    },
  };
}
