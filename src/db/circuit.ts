/**
 * A circuit breaker over the database, so that a database outage costs clients a fast 503 rather
 * than a request hanging until the driver gives up:
 *
 *   closed ──(a connection error, see errors.ts)──▶ open ──(every `retryMs`: one probe)──▶ closed
 *                                                    ▲                 │ probe fails
 *                                                    └─────────────────┘
 *
 * While open, callers ask `isOpen()` and fail fast (or serve what they hold in memory); a probe
 * (`select 1`) runs in the background every `retryMs` — the half-open step — and closes the circuit
 * as soon as the database answers, so the service recovers by itself. Only connection errors open
 * it: a failed query (a constraint, a bad value) says nothing about the database being reachable.
 */
import { isUnavailable } from './errors.ts';

export interface Circuit {
  /** True while the database is known unreachable (since the last connection error, until a probe succeeds). */
  isOpen(): boolean;
  /** Reports an error of a database call: a connection error opens the circuit. Returns whether it did. */
  failure(error: unknown): boolean;
  /** The error to throw when failing fast: classified by `isUnavailable` like a refused connection. */
  openError(): Error;
  /** Stops the probe (the store is being closed). */
  stop(): void;
}

export const DEFAULT_RETRY_MS = 1_000;

/** Thrown instead of a call while the circuit is open. */
export class CircuitOpenError extends Error {
  readonly code = 'CIRCUIT_OPEN';
  constructor() { super('Base de données injoignable (circuit ouvert) : appel évité.'); }
}

export interface CircuitOptions {
  /** A cheap query; its success closes the circuit. */
  probe(): Promise<unknown>;
  retryMs?: number;
  /** Told when the circuit opens or closes (a log line). */
  onChange?(open: boolean, cause?: unknown): void;
}

export function createCircuit({ probe, retryMs = DEFAULT_RETRY_MS, onChange }: CircuitOptions): Circuit {
  let open = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const schedule = () => {
    if (stopped || timer) return;
    timer = setTimeout(async () => {
      try {
        await probe();
        timer = undefined;
        open = false;
        onChange?.(false);
      } catch (e) {
        timer = undefined;
        if (!isUnavailable(e)) { open = false; onChange?.(false); return; } // it answered, with an error
        schedule();
      }
    }, retryMs);
    timer.unref();
  };

  return {
    isOpen: () => open,
    failure(error) {
      if (!isUnavailable(error)) return false;
      if (!open) {
        open = true;
        onChange?.(true, error);
      }
      schedule();
      return true;
    },
    openError: () => new CircuitOpenError(),
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
