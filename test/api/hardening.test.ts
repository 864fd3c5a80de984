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
