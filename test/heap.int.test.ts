import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { boundHeapGrowth, growthPercentFor, HEAP_GROWTH_PERCENT, MIN_HEAP_HEADROOM } from '../src/service/heap.ts';

const MB = 2 ** 20;

/** A full collection now (an integration test: the flag is set in this worker's process only). */
function collectAll(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const settled = () => new Promise((r) => setTimeout(r, 50));

describe('the heap growth of the service', () => {
  it('keeps the factor of 1.5 for a national live set and 256 MB of room for a small one', () => {
    expect(growthPercentFor(900 * MB)).toBe(HEAP_GROWTH_PERCENT);
    expect(growthPercentFor(512 * MB)).toBe(HEAP_GROWTH_PERCENT);
    // the demo data: 90 MB alive would be collected again after 45 MB, now after 256 MB
    expect(growthPercentFor(90 * MB)).toBe(Math.ceil((MIN_HEAP_HEADROOM / (90 * MB)) * 100));
    expect((growthPercentFor(90 * MB) / 100) * 90 * MB).toBeGreaterThanOrEqual(MIN_HEAP_HEADROOM);
  });

  it('never grows past four times what is alive', () => {
    expect(growthPercentFor(10 * MB)).toBe(300);
    expect(growthPercentFor(0)).toBe(300);
  });

  it('sets the factor at once, then after each full collection for what it left alive, until stopped', async () => {
    const flags: string[] = [];
    let live = 900 * MB;
    const stop = boundHeapGrowth({ setFlags: (f) => flags.push(f), liveBytes: () => live });
    expect(flags).toEqual(['--heap-growing-percent=50']);

    live = 64 * MB;
    collectAll();
    await settled();
    expect(flags).toEqual(['--heap-growing-percent=50', '--heap-growing-percent=300']);

    live = 128 * MB;
    collectAll();
    await settled();
    expect(flags.at(-1)).toBe('--heap-growing-percent=200');

    collectAll(); // the same live set: the flag is not set again
    await settled();
    expect(flags).toHaveLength(3);

    stop();
    live = 900 * MB;
    collectAll();
    await settled();
    expect(flags).toHaveLength(3);
  });
});
