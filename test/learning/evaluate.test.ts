import { describe, expect, it } from 'vitest';
import { toExamples, type TrainingExample } from '../../src/learning/events.ts';
import { evaluateModel, ndcgOf, promotionGuard, splitByTime } from '../../src/learning/evaluate.ts';
import { estimatePropensities } from '../../src/learning/propensity.ts';
import { train } from '../../src/learning/train.ts';
import { Prng } from '../../seed/prng.ts';
import { synthetic } from './synthetic.ts';

const names = ['a', 'b', 'c', 'd', 'e'];
const truth = [2, -1, 1.5, 0.5, 1];
const guard = { margin: 0.01, confidence: 0.95, resamples: 1000 };

/** One night of the loop on synthetic logs: train on the older events, judge on the most recent. */
function night(seed: number, noise: boolean, current: number[]) {
  const { rankings, events } = synthetic({ seed, rankings: 3000, truth, logging: current, eta: 1, swapShare: 0.15, noise });
  const all = toExamples(rankings, events, { keepSilent: true });
  const propensities = estimatePropensities(all);
  const split = splitByTime(all.filter((e) => e.events > 0), 0.25);
  const candidate = train(split.train, { names, current: { weights: current, bias: 0 }, propensities, rng: new Prng(seed) });
  const before = evaluateModel(split.test, current, { propensities });
  const after = evaluateModel(split.test, candidate.vector, { propensities });
  return promotionGuard(before.perRequester, after.perRequester, { ...guard, rng: new Prng(seed + 1) });
}

describe('held-out evaluation and promotion guard', () => {
  it('gives NDCG 1 to the ideal order and less to any other', () => {
    expect(ndcgOf([3, 2, 1], [7, 3, 0])).toBe(1);
    expect(ndcgOf([1, 2, 3], [7, 3, 0])).toBeLessThan(0.7);
    expect(Number.isNaN(ndcgOf([1, 2], [0, 0]))).toBe(true);
  });

  it('holds out the most recent share of events, whole rankings at a time', () => {
    const ex = (at: number, events: number) => ({ at, events }) as TrainingExample;
    const split = splitByTime([ex(3, 10), ex(1, 10), ex(4, 10), ex(2, 10)], 0.25);
    expect(split.test.map((e) => e.at)).toEqual([4]);
    expect(split.train.map((e) => e.at)).toEqual([1, 2, 3]);
  });

  it('never promotes a model learned from pure noise (several seeds)', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const verdict = night(seed, true, [1, 1, 1, 1, 1]);
      expect(verdict.promote, verdict.reason).toBe(false);
      expect(verdict.reason).toMatch(/^Non promu/);
    }
  });

  it('promotes a model learned from real preferences over a poor current model', () => {
    const verdict = night(7, false, [-1, 2, 0.5, 1, -0.5]);
    expect(verdict.promote, verdict.reason).toBe(true);
    expect(verdict.lower).toBeGreaterThan(0.01);
    expect(verdict.reason).toMatch(/^Promu/);
  });

  it('refuses to decide on too few requesters, and a candidate equal to the current model is never promoted', () => {
    const few = promotionGuard(new Map([['a', 0.1]]), new Map([['a', 0.9]]), { ...guard, rng: new Prng(1) });
    expect(few.promote).toBe(false);
    expect(few.reason).toMatch(/Pas assez/);
    const same = new Map(Array.from({ length: 100 }, (_, i) => [`q${i}`, (i % 7) / 7] as [string, number]));
    const verdict = promotionGuard(same, new Map(same), { ...guard, rng: new Prng(1) });
    expect(verdict.promote).toBe(false);
    expect(verdict.meanDelta).toBe(0);
  });

  it('weights clicks by inverse propensities, so that the model which made the logs loses its head start against a better one', () => {
    const logging = [-1, 2, 0.5, 1, -0.5];
    const { rankings, events } = synthetic({ seed: 8, rankings: 4000, truth, logging, eta: 1.5, swapShare: 0.2 });
    const all = toExamples(rankings, events, { keepSilent: true });
    const propensities = estimatePropensities(all);
    const judged = all.filter((e) => e.events > 0);
    const weighted = evaluateModel(judged, truth, { propensities }).mean - evaluateModel(judged, logging, { propensities }).mean;
    const raw = evaluateModel(judged, truth).mean - evaluateModel(judged, logging).mean;
    expect(weighted).toBeGreaterThan(raw);
    expect(weighted).toBeGreaterThan(0);
  });
});
