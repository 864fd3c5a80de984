import { describe, expect, it } from 'vitest';
import { planShards } from '../../src/batch/batch.plan.ts';
import { lastScheduled, missedNight } from '../../src/batch/batch.nightly.ts';

describe('shards of a run', () => {
  const records = [
    { id: 'b', region: '53' }, { id: 'a', region: '53' }, { id: 'c', region: '53' }, { id: 'z', region: '11' }, { id: 'B', region: '53' },
  ];

  it('cut each région into consecutive id ranges of at most the shard size', () => {
    expect(planShards('structure', records, 2)).toEqual([
      { key: 'structure:11:0000', kind: 'structure', region: '11', firstId: 'z', lastId: 'z', size: 1 },
      { key: 'structure:53:0000', kind: 'structure', region: '53', firstId: 'B', lastId: 'a', size: 2 },
      { key: 'structure:53:0001', kind: 'structure', region: '53', firstId: 'b', lastId: 'c', size: 2 },
    ]);
  });

  it('are the same whatever the order the records come in', () => {
    expect(planShards('resource', [...records].reverse(), 3)).toEqual(planShards('resource', records, 3));
  });
});

describe('the nightly schedule', () => {
  it('finds the last scheduled time in Paris time (3 h in winter is 2 h UTC)', () => {
    expect(lastScheduled('0 3 * * *', new Date('2026-12-04T10:00:00Z'))?.toISOString()).toBe('2026-12-04T02:00:00.000Z');
    expect(lastScheduled('0 3 * * *', new Date('2026-12-04T01:00:00Z'))?.toISOString()).toBe('2026-12-03T02:00:00.000Z');
  });

  it('runs a missed night at start, but not on a fresh database nor when the night already ran', () => {
    const scheduled = new Date('2026-12-04T02:00:00Z');
    expect(missedNight(scheduled, new Date('2026-12-03T02:00:05Z'), false)).toBe(true);
    expect(missedNight(scheduled, new Date('2026-12-04T02:00:05Z'), false)).toBe(false);
    expect(missedNight(scheduled, undefined, false)).toBe(false);
    expect(missedNight(scheduled, new Date('2026-12-04T02:00:05Z'), true)).toBe(true);
  });
});
