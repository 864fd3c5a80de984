/**
 * The API's edge against clumsy or hostile clients: a key sent in the address, query parameters
 * that are not plain decimal numbers or are repeated, JSON bodies that are not objects, a wrong
 * method, failed authentications in a row, a `__proto__` field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support.ts';

describe('the API edge', () => {
  let api: TestApi;
  beforeAll(async () => { api = await startTestApi('pglite'); });
  afterAll(() => api?.close());

  describe('a key in the address', () => {
    it.each(['api_key', 'key', 'token', 'access_token', 'API_KEY'])('is refused with 400 auth.key_in_url when sent as ?%s=, and not logged', async (param) => {
      const secret = `psk_${param}`.padEnd(47, 'x');
      const reply = await api.call('GET', `/api/v1/structures?limit=1&${param}=${secret}`, { key: api.keys.admin });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toMatchObject({ code: 'auth.key_in_url', details: { param } });
      expect(reply.body.error.message).toContain('Authorization');
      await new Promise((r) => setTimeout(r, 20));
      expect(api.logs.join('\n')).not.toContain(secret);
      expect(api.logs.join('\n')).toContain(`${param}=[caché]`);
    });

    it('is refused before the key is checked: an unknown key in the address gets the same 400', async () => {
      const reply = await api.call('GET', `/api/v1/structures/dev-s06/matches?token=${'psk_'.padEnd(47, 'y')}`);
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('auth.key_in_url');
    });
  });
});

describe('query parameters', () => {
  let api: TestApi;
  beforeAll(async () => { api = await startTestApi('pglite'); });
  afterAll(() => api?.close());

  const lists = ['/api/v1/structures', '/api/v1/resources', '/api/v1/structures/dev-s06/matches', '/api/v1/audit', '/api/v1/feedback'];

  it.each(lists.flatMap((path) => ['0x10', '1e1', ' 5', '5 ', '+5', '', '1.0'].map((v) => [path, v])))('%s refuses limit=%j with 400 naming limit', async (path, value) => {
    const reply = await api.call('GET', `${path}?limit=${encodeURIComponent(value)}`, { key: api.keys.admin });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('request.invalid');
    expect(reply.body.error.details).toEqual([expect.objectContaining({ path: 'limit' })]);
  });

  it.each(lists)('%s reads limit=5 as five', async (path) => {
    const reply = await api.call('GET', `${path}?limit=5`, { key: api.keys.admin });
    expect(reply.status).toBe(200);
    expect((reply.body.items ?? reply.body.results).length).toBeLessThanOrEqual(5);
  });

  it.each(lists)('%s refuses a repeated limit with 400 naming it, not « NaN reçu »', async (path) => {
    const reply = await api.call('GET', `${path}?limit=1&limit=2`, { key: api.keys.admin });
    expect(reply.status).toBe(400);
    expect(reply.body.error.details).toEqual([expect.objectContaining({ path: 'limit' })]);
    expect(reply.text).not.toContain('NaN');
    expect(reply.body.error.message).toContain('« limit »');
  });
});
