import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { describeDbError, isUnavailable, loggableError } from '../src/db/errors.ts';

const hash = 'a'.repeat(64);

describe('database errors as logs and clients see them', () => {
  it('describes a failed query without its parameters and cuts its SQL short', () => {
    const cause = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
    const failed = new DrizzleQueryError(`select "id" from "api_keys" where "key_hash" = $1 ${'and true '.repeat(100)}`, [hash], cause);
    expect(failed.message).toContain(hash);
    const logged = JSON.stringify(loggableError(failed));
    expect(logged).not.toContain(hash);
    expect(logged.length).toBeLessThan(1500);
    expect(describeDbError(failed)).toMatchObject({ code: '22021', message: expect.stringContaining('0x00') });
  });

  it('tells an unreachable database from a failed query', () => {
    expect(isUnavailable(new DrizzleQueryError('select 1', [], Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })))).toBe(true);
    expect(isUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isUnavailable(new DrizzleQueryError('select 1', [], Object.assign(new Error('syntax'), { code: '42601' })))).toBe(false);
    expect(isUnavailable(new Error('boom'))).toBe(false);
  });
});
