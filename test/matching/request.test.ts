import { describe, expect, it } from 'vitest';
import { dayNumber } from '../../src/domain/day.ts';
import { DEFAULT_LIMIT, MAX_LIMIT, parseMatchQuery, rankRequest } from '../../src/matching/matching.request.ts';
import { matchQueryOf } from '../../src/cli/matching.ts';
import { model } from '../engine/fixtures.ts';

const now = () => new Date('2026-12-04T23:30:00Z');

describe('the one match request of every entry point', () => {
  it('gives 20 results as of today on the injected clock when nothing is asked', () => {
    const request = rankRequest({}, { model, now });
    expect(request.limit).toBe(DEFAULT_LIMIT);
    expect(request.asOf).toBe('2026-12-04');
    expect(request.asOfDay).toBe(dayNumber('2026-12-04'));
    expect(request.model.version).toBe('test-v1');
    expect([request.explain, request.includeExcluded]).toEqual([false, false]);
  });

  it('reads the values an HTTP query string carries, as text', () => {
    const request = rankRequest({ limit: '5', as_of: '2026-12-01', explain: 'true', include_excluded: '1', pillar: 'energy' }, { model, now });
    expect(request).toMatchObject({ limit: 5, asOf: '2026-12-01', explain: true, includeExcluded: true, pillar: 'energy' });
  });

  it('refuses a limit out of range and a date that does not exist with request.invalid naming the field', () => {
    for (const [raw, field] of [[{ limit: 0 }, 'limit'], [{ limit: MAX_LIMIT + 1 }, 'limit'], [{ as_of: '2026-13-45' }, 'as_of'], [{ colour: 'red' }, 'colour']] as const) {
      expect(() => parseMatchQuery(raw)).toThrow(expect.objectContaining({
        code: 'request.invalid', status: 400, details: [expect.objectContaining({ path: field })],
      }));
    }
  });

  it('reports the same mistakes on the command line with the flag that carried them', () => {
    expect(() => matchQueryOf('match', { limit: '500' })).toThrow(expect.objectContaining({ code: 'cli.bad_arguments', message: expect.stringContaining('--limit') }));
    expect(() => matchQueryOf('match', { 'as-of': '2026-02-30' })).toThrow(expect.objectContaining({ code: 'cli.bad_arguments', message: expect.stringContaining('--as-of') }));
    expect(matchQueryOf('match', { limit: '7', excluded: true })).toMatchObject({ limit: 7, include_excluded: true });
  });
});
