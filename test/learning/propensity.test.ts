import { describe, expect, it } from 'vitest';
import { toExamples } from '../../src/learning/events.ts';
import { applySwap, chooseSwap, estimatePropensities, propensityAt } from '../../src/learning/propensity.ts';
import { Prng } from '../../seed/prng.ts';
import { synthetic } from './synthetic.ts';

const truth = [2, -1, 1.5, 0.5, 1];

describe('position-bias propensities', () => {
  it('recovers a known examination curve (k^-1) from simulated random adjacent swaps', () => {
    const { rankings, events } = synthetic({ seed: 7, rankings: 30_000, truth, logging: truth, eta: 1, swapShare: 0.3 });
    const p = estimatePropensities(toExamples(rankings, events, { keepSilent: true }));
    expect(p.estimated).toBe(true);
    for (let k = 1; k <= 10; k++) expect(Math.abs(propensityAt(p, k) - 1 / k)).toBeLessThan(0.06);
    expect(p.eta).toBeGreaterThan(0.85);
    expect(p.eta).toBeLessThan(1.15);
  });

  it('recovers a flatter curve too (k^-0.5): the curve comes from the logs, not from an assumption', () => {
    const { rankings, events } = synthetic({ seed: 8, rankings: 30_000, truth, logging: truth, eta: 0.5, swapShare: 0.3 });
    const p = estimatePropensities(toExamples(rankings, events, { keepSilent: true }));
    for (let k = 1; k <= 10; k++) expect(Math.abs(propensityAt(p, k) - k ** -0.5)).toBeLessThan(0.07);
  });

  it('gives no correction (all propensities 1) when no swap was ever logged', () => {
    const { rankings, events } = synthetic({ seed: 9, rankings: 2000, truth, logging: truth, eta: 1, swapShare: 0 });
    const p = estimatePropensities(toExamples(rankings, events, { keepSilent: true }));
    expect(p.estimated).toBe(false);
    expect([...p.values]).toEqual(new Array(10).fill(1));
  });

  it('keeps propensities decreasing, clipped and floored even on little data', () => {
    const { rankings, events } = synthetic({ seed: 10, rankings: 300, truth, logging: truth, eta: 2, swapShare: 0.2 });
    const p = estimatePropensities(toExamples(rankings, events, { keepSilent: true }), { minPropensity: 0.05 });
    for (let k = 1; k < 10; k++) expect(p.values[k]).toBeLessThanOrEqual(p.values[k - 1]);
    expect(Math.min(...p.values)).toBeGreaterThanOrEqual(0.05);
  });

  it('chooseSwap swaps about the configured share of rankings, always two adjacent positions among the first ten', () => {
    const rng = new Prng(1);
    const counts = new Array(10).fill(0);
    let swapped = 0;
    for (let i = 0; i < 20_000; i++) {
      const k = chooseSwap(rng, 20, 0.1);
      if (k === null) continue;
      swapped++;
      expect(k).toBeGreaterThanOrEqual(1);
      expect(k).toBeLessThanOrEqual(9);
      counts[k]++;
    }
    expect(swapped / 20_000).toBeGreaterThan(0.09);
    expect(swapped / 20_000).toBeLessThan(0.11);
    for (let k = 1; k <= 9; k++) expect(counts[k]).toBeGreaterThan(150);
    expect(chooseSwap(rng, 1, 1)).toBeNull();
    expect(applySwap(['a', 'b', 'c'], 2)).toEqual(['a', 'c', 'b']);
    expect(applySwap(['a', 'b', 'c'], null)).toEqual(['a', 'b', 'c']);
  });
});
