import { describe, expect, it } from 'vitest';
import {
  byRequester, DEFAULT_EVENT_VALUES, eventValues, labelOf, toExamples, vectorOf, type LoggedRanking,
} from '../../src/learning/events.ts';

const ranking = (id: string, requester: string, at: number): LoggedRanking => ({
  id, requester, at, swap: null,
  items: [
    { id: 'b', position: 2, features: [0.2, 0.8], score: 1 },
    { id: 'a', position: 1, features: [0.9, 0.1], score: 2 },
    { id: 'c', position: 3, features: [0.5, 0.5], score: 0.5 },
  ],
});

describe('feedback events and training examples', () => {
  it('grades events: partnership > contacted > shortlisted > viewed > nothing > not_interested', () => {
    const v = DEFAULT_EVENT_VALUES;
    expect(v.partnership).toBeGreaterThan(v.contacted);
    expect(v.contacted).toBeGreaterThan(v.shortlisted);
    expect(v.shortlisted).toBeGreaterThan(v.viewed);
    expect(v.viewed).toBeGreaterThan(0);
    expect(v.not_interested).toBeLessThan(0);
    expect(labelOf(['viewed', 'contacted', 'shortlisted'])).toBe(v.contacted);
    expect(labelOf(['viewed', 'not_interested'])).toBe(v.not_interested);
    expect(labelOf([])).toBe(0);
  });

  it('takes configured values, and refuses values out of order', () => {
    expect(eventValues({ partnership: 10 }).partnership).toBe(10);
    expect(() => eventValues({ viewed: 5 })).toThrow(/mal ordonnées/);
    expect(() => eventValues({ not_interested: 1 })).toThrow();
  });

  it('turns a logged ranking and its events into one example, items in shown order with their labels', () => {
    const [e] = toExamples([ranking('r1', 'q1', 10)], [
      { rankingId: 'r1', itemId: 'b', kind: 'viewed', at: 11 },
      { rankingId: 'r1', itemId: 'b', kind: 'contacted', at: 12 },
      { rankingId: 'r1', itemId: 'c', kind: 'not_interested', at: 13 },
      { rankingId: 'r1', itemId: 'zz', kind: 'viewed', at: 13 },
      { rankingId: 'nope', itemId: 'a', kind: 'viewed', at: 13 },
    ]);
    expect([...e.positions]).toEqual([1, 2, 3]);
    expect([...e.labels]).toEqual([0, 3, -1]);
    expect([...e.features]).toEqual([0.9, 0.1, 0.2, 0.8, 0.5, 0.5]);
    expect(e.events).toBe(3);
    expect(e.dims).toBe(2);
  });

  it('leaves out the rankings nobody acted on, unless asked to keep them for the propensities', () => {
    const rankings = [ranking('r1', 'q1', 1), ranking('r2', 'q2', 2), ranking('r3', 'q1', 3)];
    const events = [{ rankingId: 'r3', itemId: 'a', kind: 'shortlisted' as const, at: 4 }];
    expect(toExamples(rankings, events).map((e) => e.rankingId)).toEqual(['r3']);
    const all = toExamples(rankings, events, { keepSilent: true });
    expect(all).toHaveLength(3);
    expect([...byRequester(all).keys()]).toEqual(['q1', 'q2']);
    expect(byRequester(all).get('q1')!.map((e) => e.rankingId)).toEqual(['r1', 'r3']);
  });

  it('reads a match result\'s features by name into the feature order', () => {
    expect([...vectorOf({ geography: 0.5, text: 0.25 }, ['text', 'geography', 'capacity'])]).toEqual([0.25, 0.5, 0]);
  });
});
