import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCircuit } from '../src/db/circuit.ts';
import { isUnavailable } from '../src/db/errors.ts';

const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

describe('the database circuit breaker', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('opens on a connection error only, probes every retryMs while open, and closes when the probe succeeds', async () => {
    vi.useFakeTimers();
    let up = false;
    const probe = vi.fn(async () => { if (!up) throw refused(); });
    const changes: boolean[] = [];
    const circuit = createCircuit({ probe, retryMs: 1_000, onChange: (open) => changes.push(open) });

    expect(circuit.failure(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(circuit.isOpen()).toBe(false);
    expect(circuit.failure(refused())).toBe(true);
    expect(circuit.isOpen()).toBe(true);
    expect(circuit.failure(refused())).toBe(true); // already open: one probe scheduled, not two

    await vi.advanceTimersByTimeAsync(1_000);
    expect(probe).toHaveBeenCalledTimes(1);
    expect(circuit.isOpen()).toBe(true);
    up = true;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(probe).toHaveBeenCalledTimes(2);
    expect(circuit.isOpen()).toBe(false);
    expect(changes).toEqual([true, false]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(probe).toHaveBeenCalledTimes(2); // closed: no more probes
  });

  it('fails fast with an error classified as the database unreachable', () => {
    const circuit = createCircuit({ probe: async () => {} });
    expect(isUnavailable(circuit.openError())).toBe(true);
    circuit.stop();
  });
});
