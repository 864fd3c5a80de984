/**
 * The API's edge against clumsy or hostile clients: a key sent in the address, query parameters
 * that are not plain decimal numbers or are repeated, JSON bodies that are not objects, a wrong
 * method, failed authentications in a row, a `__proto__` field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newStructure, startTestApi, type TestApi } from './support.ts';

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

describe('JSON bodies', () => {
  let api: TestApi;
  beforeAll(async () => { api = await startTestApi('pglite'); });
  afterAll(() => api?.close());

  const bodies: [string, string][] = [['null', 'null'], ['"x"', 'une chaîne'], ['[1]', 'un tableau'], ['3', 'un nombre'], ['true', 'un booléen']];
  const routes: [string, string][] = [['POST', '/api/v1/structures'], ['PATCH', '/api/v1/structures/dev-s06'], ['POST', '/api/v1/matches/preview'], ['POST', '/api/v1/feedback'], ['POST', '/api/v1/keys']];

  it.each(routes.flatMap(([method, path]) => bodies.map(([body, kind]) => [method, path, body, kind])))(
    '%s %s answers valid JSON that is not an object (%s) with 400 request.not_an_object', async (method, path, body, kind) => {
      const reply = await api.call(method, path, { key: api.keys.admin, body, headers: { 'content-type': 'application/json' } });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toMatchObject({ code: 'request.not_an_object', details: { received: kind } });
      expect(reply.body.error.message).not.toContain('pas un JSON valide');
    });

  it('still calls broken JSON not valid JSON', async () => {
    const reply = await api.call('POST', '/api/v1/structures', { key: api.keys.admin, body: 'nul', headers: { 'content-type': 'application/json' } });
    expect(reply.body.error.code).toBe('request.invalid_json');
  });

  it('gives both size limits (JSON body and imported file) in the same unit', async () => {
    const small = await api.startAnother({ PASSERELLES_BODY_LIMIT: '1kb', PASSERELLES_IMPORT_LIMIT: '2kb' });
    try {
      const json = await small.call('POST', '/api/v1/structures', { key: api.keys.admin, json: { description: 'x'.repeat(5000) } });
      const file = await small.call('POST', '/api/v1/structures/import', { key: api.keys.admin, body: 'x'.repeat(5000), headers: { 'content-type': 'application/x-ndjson' } });
      expect([json.status, file.status]).toEqual([413, 413]);
      expect(json.body.error.message).toContain('(limite : 1 Ko)');
      expect(file.body.error.message).toContain('(limite : 2 Ko)');
      expect(json.body.error.details).toEqual({ limit_bytes: 1024 });
    } finally {
      await small.close();
    }
  });
});

describe('a wrong method', () => {
  let api: TestApi;
  beforeAll(async () => { api = await startTestApi('pglite'); });
  afterAll(() => api?.close());

  it.each([
    ['PUT', '/api/v1/structures', 'GET, HEAD, POST'],
    ['POST', '/api/v1/structures/dev-s06', 'GET, HEAD, PUT, PATCH, DELETE'],
    ['DELETE', '/api/v1/structures/dev-s06/matches', 'GET, HEAD'],
    ['GET', '/api/v1/matches/preview', 'POST'],
    ['PATCH', '/api/v1/me', 'GET, HEAD'],
    ['POST', '/api/v1/openapi.json', 'GET, HEAD'],
  ])('%s %s answers 405 route.method_not_allowed with Allow: %s, key or not', async (method, path, allow) => {
    for (const key of [api.keys.admin, undefined]) {
      const reply = await api.call(method, path, { key });
      expect(reply.status).toBe(405);
      expect(reply.headers.get('allow')).toBe(allow);
      expect(reply.body.error).toMatchObject({ code: 'route.method_not_allowed', details: { allowed: allow.split(', ') } });
    }
  });

  it('an unknown path is still 404 route.not_found', async () => {
    const reply = await api.call('PUT', '/api/v1/nowhere', { key: api.keys.admin });
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe('route.not_found');
  });
});

describe('a "__proto__" field', () => {
  let api: TestApi;
  beforeAll(async () => { api = await startTestApi('pglite'); });
  afterAll(() => api?.close());

  const withProto = (id: string) => JSON.stringify(newStructure(id)).replace(/^\{/, '{"__proto__":{"polluted":"oui"},');
  const extraOf = async (id: string) => (await api.call('GET', `/api/v1/structures/${id}`, { key: api.keys.admin })).body.extra;

  it('is kept like any unknown field when a record is created, with no pollution', async () => {
    const created = await api.call('POST', '/api/v1/structures', { key: api.keys.admin, body: withProto('proto-1'), headers: { 'content-type': 'application/json' } });
    expect(created.status).toBe(201);
    const extra = await extraOf('proto-1');
    expect(Object.hasOwn(extra ?? {}, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(extra, '__proto__')?.value).toEqual({ polluted: 'oui' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('is kept from an import line, and a second import of the same line changes nothing', async () => {
    for (const expected of ['inserted', 'unchanged']) {
      const reply = await api.call('POST', '/api/v1/structures/import', { key: api.keys.admin, body: `${withProto('proto-2')}\n`, headers: { 'content-type': 'application/x-ndjson' } });
      expect(reply.status).toBe(200);
      expect(reply.body[expected]).toBe(1);
    }
    expect(Object.getOwnPropertyDescriptor(await extraOf('proto-2'), '__proto__')?.value).toEqual({ polluted: 'oui' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('is merged by a merge patch like any unknown field, and removed by null', async () => {
    const patch = (body: string) => api.call('PATCH', '/api/v1/structures/proto-1', { key: api.keys.admin, body, headers: { 'content-type': 'application/merge-patch+json' } });
    expect((await patch('{"__proto__":{"changed":true}}')).status).toBe(200);
    expect(Object.getOwnPropertyDescriptor(await extraOf('proto-1'), '__proto__')?.value).toEqual({ polluted: 'oui', changed: true });
    expect((await patch('{"__proto__":null}')).status).toBe(200);
    expect(Object.hasOwn((await extraOf('proto-1')) ?? {}, '__proto__')).toBe(false);
    expect(({} as Record<string, unknown>).changed).toBeUndefined();
  });
});

describe('failed authentications from one address', () => {
  let api: TestApi;
  beforeAll(async () => { api = await startTestApi('pglite'); });
  afterAll(() => api?.close());

  const wrongKey = (i: number) => `psk_${String(i).padStart(43, 'z')}`;

  it('are answered 429 auth.too_many_failures with Retry-After past the limit, a valid key included, until the minute is over', async () => {
    let nowMs = Date.parse('2026-12-01T12:00:00Z');
    const limited = await api.startAnother({ PASSERELLES_AUTH_FAILURES: '3' }, { clock: () => new Date(nowMs) });
    try {
      for (let i = 0; i < 3; i++) expect((await limited.call('GET', '/api/v1/me', { key: wrongKey(i) })).status).toBe(401);
      for (const key of [wrongKey(9), api.keys.admin]) {
        const reply = await limited.call('GET', '/api/v1/me', { key });
        expect(reply.status).toBe(429);
        expect(reply.body.error.code).toBe('auth.too_many_failures');
        expect(reply.headers.get('retry-after')).toBe('60');
      }
      nowMs += 45_000;
      expect((await limited.call('GET', '/api/v1/me', { key: api.keys.admin })).headers.get('retry-after')).toBe('15');
      nowMs += 15_000;
      expect((await limited.call('GET', '/api/v1/me', { key: api.keys.admin })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('do not count valid keys: many good requests from one address are never limited this way', async () => {
    const limited = await api.startAnother({ PASSERELLES_AUTH_FAILURES: '2' });
    try {
      for (let i = 0; i < 10; i++) expect((await limited.call('GET', '/api/v1/me', { key: api.keys.bretagne })).status).toBe(200);
      expect((await limited.call('GET', '/api/v1/me', { key: wrongKey(1) })).status).toBe(401);
      expect((await limited.call('GET', '/api/v1/me', { key: api.keys.bretagne })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
