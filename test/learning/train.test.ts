import { describe, expect, it } from 'vitest';
import { toExamples } from '../../src/learning/events.ts';
import { estimatePropensities } from '../../src/learning/propensity.ts';
import { train } from '../../src/learning/train.ts';
import { Prng } from '../../seed/prng.ts';
import { cosine, synthetic, trueNdcg } from './synthetic.ts';

const names = ['a', 'b', 'c', 'd', 'e'];
const truth = [2, -1, 1.5, 0.5, 1];
const flat = { weights: [0, 0, 0, 0, 0], bias: 0 };

describe('pairwise training of the linear model', () => {
  it('recovers the direction of a synthetic linear preference', () => {
    const { rankings, events } = synthetic({ seed: 1, rankings: 4000, truth, logging: [1, 1, 1, 1, 1], eta: 0.3 });
    const result = train(toExamples(rankings, events), { names, current: flat, l2: 0.0001, epochs: 200, rng: new Prng(1) });
    expect(cosine(result.vector, truth)).toBeGreaterThan(0.97);
    expect(Object.keys(result.weights)).toEqual(names);
    expect(result.stats.pairs).toBeGreaterThan(1000);
    expect(result.stats.finalLoss).toBeLessThan(result.stats.initialLoss);
  });

  it('with the inverse-propensity correction, beats the uncorrected model under strong position bias', () => {
    // The logging model disagrees with the users: without correction, what it put on top looks preferred.
    const logging = [-1, 2, 0.5, 1, -0.5];
    const { rankings, events } = synthetic({ seed: 2, rankings: 6000, truth, logging, eta: 1.5, swapShare: 0.2 });
    const all = toExamples(rankings, events, { keepSilent: true });
    const propensities = estimatePropensities(all);
    const examples = all.filter((e) => e.events > 0);
    const common = { names, current: { weights: logging, bias: 0 }, propensities, l2: 0.0001, epochs: 200 };
    const corrected = train(examples, { ...common, correct: true, rng: new Prng(3) });
    const uncorrected = train(examples, { ...common, correct: false, rng: new Prng(3) });
    expect(corrected.stats.corrected).toBe(true);
    expect(uncorrected.stats.corrected).toBe(false);
    expect(cosine(corrected.vector, truth)).toBeGreaterThan(cosine(uncorrected.vector, truth) + 0.02);
    expect(trueNdcg(corrected.vector, truth, 9)).toBeGreaterThan(trueNdcg(uncorrected.vector, truth, 9));
  });

  it('stays at the current weights when the regularisation is strong, and moves with little of it', () => {
    const { rankings, events } = synthetic({ seed: 4, rankings: 1000, truth, logging: truth });
    const current = { weights: [1, 1, 1, 1, 1], bias: 0.5 };
    const strong = train(toExamples(rankings, events), { names, current, l2: 100, rng: new Prng(1) });
    const weak = train(toExamples(rankings, events), { names, current, l2: 0.001, rng: new Prng(1) });
    for (const w of strong.vector) expect(Math.abs(w - 1)).toBeLessThan(0.05);
    expect(cosine(weak.vector, truth)).toBeGreaterThan(cosine(strong.vector, truth));
    expect(strong.bias).toBe(0.5);
  });

  it('is deterministic for a seed, mini-batches included', () => {
    const { rankings, events } = synthetic({ seed: 5, rankings: 1500, truth, logging: truth });
    const examples = toExamples(rankings, events);
    const run = (seed: number) => train(examples, { names, current: flat, batchSize: 256, epochs: 20, rng: new Prng(seed) }).vector;
    expect([...run(11)]).toEqual([...run(11)]);
    expect([...run(11)]).not.toEqual([...run(12)]);
    const again = synthetic({ seed: 5, rankings: 1500, truth, logging: truth });
    expect(again.events).toEqual(events);
  });

  it('trains on 100,000 events well under a minute', () => {
    const { rankings, events } = synthetic({ seed: 6, rankings: 45_000, truth, logging: truth, eta: 0.7, swapShare: 0.1 });
    expect(events.length).toBeGreaterThan(100_000);
    const started = performance.now();
    const all = toExamples(rankings, events, { keepSilent: true });
    const result = train(all.filter((e) => e.events > 0), { names, current: flat, propensities: estimatePropensities(all), rng: new Prng(1) });
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(result.stats.events).toBe(events.length);
  });
});
