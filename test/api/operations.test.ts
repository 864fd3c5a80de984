/**
 * Everything around the routes: keys (command line and HTTP), 401s, errors and their shape,
 * size limits, health and readiness, metrics, request ids in the logs, security headers, CORS,
 * rate limiting, and the OpenAPI document with its French rendering.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/keys/keys.usecases.ts';
import { createKeysRepository } from '../../src/keys/keys.repository.ts';
import { OPERATOR } from '../../src/access/access.policy.ts';
import { actorOf } from '../../src/audit/audit.repository.ts';
import type { CliContext } from '../../src/cli/command.ts';
import { keysCommand } from '../../src/cli/commands/keys.ts';
import { loadConfig } from '../../src/config/config.ts';
import { contractFields } from '../../src/contract/index.ts';
import type { Matching } from '../../src/matching/matching.usecases.ts';
import { pino } from 'pino';
import { storeKinds } from '../support/stores.ts';
import { AS_OF, newStructure, startTestApi, type TestApi } from './support.ts';

function cli(api: TestApi) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = {
    config: loadConfig({}),
    logger: pino({ level: 'silent' }),
    stdout: { write: (s: string) => { out.push(s); return true; } } as unknown as NodeJS.WritableStream,
    stderr: { write: (s: string) => { err.push(s); return true; } } as unknown as NodeJS.WritableStream,
    withStore: (fn) => fn(api.store),
  };
  return { ctx, out, err, run: (...args: string[]) => keysCommand.run(args, ctx) };
}

describe.each(storeKinds())('operations of the API on %s', (kind) => {
  let api: TestApi;
  beforeAll(async () => { api = await startTestApi(kind); });
  afterAll(() => api?.close());

  describe('keys', () => {
    it('`keys create` prints the key alone on stdout, once, and the key works over HTTP', async () => {
      const c = cli(api);
      expect(await c.run('create', '--role', 'delegate', '--region', '53', '--region', '76', '--label', 'Délégation Ouest', '--expires', '2099-12-31')).toBe(0);
      expect(c.out).toHaveLength(1);
      const key = c.out[0].trim();
      expect(key).toMatch(/^psk_[A-Za-z0-9_-]{43}$/);
      expect(c.err.join('')).toMatch(/régions 53 \(Bretagne\), 76 \(Occitanie\)/);
      const me = await api.call('GET', '/api/v1/me', { key });
      expect(me.body).toMatchObject({ role: 'delegate', regions: [{ code: '53' }, { code: '76' }] });
    });

    it('`keys list` never shows a key nor its hash, and `keys revoke` refuses it from the next request', async () => {
      const c = cli(api);
      await c.run('create', '--role', 'structure', '--structure', 'dev-s06');
      const key = c.out[0].trim();
      const list = cli(api);
      await list.run('list', '--json');
      const listed = list.out.map((l) => JSON.parse(l));
      const mine = listed.find((k) => k.structure_id === 'dev-s06' && k.status === 'active' && k.label === '');
      expect(mine).toBeDefined();
      expect(list.out.join('')).not.toContain(key);
      expect(list.out.join('')).not.toMatch(/[0-9a-f]{64}/);
      expect((await api.call('GET', '/api/v1/me', { key })).status).toBe(200);
      expect(await cli(api).run('revoke', mine.id)).toBe(0);
      const after = await api.call('GET', '/api/v1/me', { key });
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('auth.invalid_key');
    });

    it('`keys create` refuses a delegate without région, an unknown région and an unknown structure', async () => {
      await expect(cli(api).run('create', '--role', 'delegate')).rejects.toMatchObject({ code: 'keys.invalid' });
      await expect(cli(api).run('create', '--role', 'delegate', '--region', '99')).rejects.toMatchObject({ code: 'keys.invalid' });
      await expect(cli(api).run('create', '--role', 'structure', '--structure', 'nope')).rejects.toMatchObject({ code: 'keys.invalid' });
      await expect(cli(api).run('create', '--role', 'chef')).rejects.toMatchObject({ code: 'keys.invalid' });
      await expect(cli(api).run('create', '--role', 'admin', '--expires', '2020-01-01')).rejects.toMatchObject({ code: 'keys.invalid' });
    });

    it('creates a key over HTTP once, lists keys without them, and revokes', async () => {
      const admin = api.keys.admin;
      const created = await api.call('POST', '/api/v1/keys', { key: admin, json: { role: 'structure', structure_id: 'dev-s25', label: 'Albi' } });
      expect(created.status, created.text).toBe(201);
      expect(created.body.key).toMatch(/^psk_/);
      expect(created.body.api_key).toMatchObject({ role: 'structure', structure_id: 'dev-s25', status: 'active' });
      const listed = await api.call('GET', '/api/v1/keys', { key: admin });
      expect(listed.text).not.toContain(created.body.key);
      expect(listed.body.items.map((k: { id: string }) => k.id)).toContain(created.body.api_key.id);
      const revoked = await api.call('DELETE', `/api/v1/keys/${created.body.api_key.id}`, { key: admin });
      expect(revoked.body.status).toBe('revoked');
      expect((await api.call('GET', '/api/v1/me', { key: created.body.key })).status).toBe(401);
      const invalid = await api.call('POST', '/api/v1/keys', { key: admin, json: { role: 'delegate', regions: ['99'] } });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.details).toEqual([expect.objectContaining({ path: 'regions.0' })]);
    });

    it('answers 401 for a missing, malformed, unknown or expired key, with distinct codes', async () => {
      const missing = await api.call('GET', '/api/v1/structures');
      expect([missing.status, missing.body.error.code]).toEqual([401, 'auth.missing_key']);
      for (const key of ['nimportequoi', `psk_${'A'.repeat(43)}`]) {
        const bad = await api.call('GET', '/api/v1/structures', { key });
        expect([bad.status, bad.body.error.code]).toEqual([401, 'auth.invalid_key']);
      }
      const past = new Date('2020-01-01T00:00:00Z');
      const { key: expired } = await createApiKey({
        keys: createKeysRepository(api.store), isRegion: () => true, structureExists: async () => true, now: () => past, actor: actorOf(OPERATOR),
      }, { role: 'admin', expires: '2020-06-30' });
      expect((await api.call('GET', '/api/v1/me', { key: expired })).status).toBe(401);
      const header = await api.call('GET', '/api/v1/me', { headers: { 'x-api-key': api.keys.admin } });
      expect(header.status).toBe(200);
    });
  });

  describe('errors', () => {
    it('answers malformed JSON with 400 request.invalid_json', async () => {
      const reply = await api.call('POST', '/api/v1/structures', { key: api.keys.admin, body: '{"id": "x",', headers: { 'content-type': 'application/json' } });
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ error: { code: 'request.invalid_json', message: expect.any(String) } });
    });

    it('answers a body over the configured size with 413 request.too_large', async () => {
      const small = await api.startAnother({ PASSERELLES_BODY_LIMIT: '1kb' });
      try {
        const reply = await small.call('POST', '/api/v1/structures', { key: api.keys.admin, json: newStructure('big', { description: 'x'.repeat(5000) }) });
        expect(reply.status).toBe(413);
        expect(reply.body.error.code).toBe('request.too_large');
      } finally {
        await small.close();
      }
    });

    it('answers a malformed address with 400, not a stack trace', async () => {
      const reply = await api.call('GET', '/api/v1/structures/%E0%A4%A', { key: api.keys.admin });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('request.invalid');
      expect(reply.text).not.toMatch(/URIError|at /);
    });

    it('answers an unknown route with 404 route.not_found', async () => {
      const reply = await api.call('GET', '/api/v1/nothing-here', { key: api.keys.admin });
      expect([reply.status, reply.body.error.code]).toEqual([404, 'route.not_found']);
      expect((await api.call('GET', '/nothing')).status).toBe(404);
    });

    it('never sends a stack trace: an unexpected error is 500 with a request id, and is logged', async () => {
      const broken: Matching = { ...api.matching, forStructure: () => { throw new Error('boom: secret internals'); } };
      const other = await api.startAnother({}, { matching: broken });
      try {
        const reply = await other.call('GET', '/api/v1/structures/dev-s06/matches', { key: api.keys.admin });
        expect(reply.status).toBe(500);
        expect(reply.body.error.code).toBe('internal');
        expect(reply.text).not.toMatch(/boom|secret|\.ts:\d+|at /);
        const requestId = reply.headers.get('x-request-id')!;
        expect(reply.body.error.message).toContain(requestId);
        expect(api.logs.some((l) => l.includes('boom: secret internals') && l.includes(requestId))).toBe(true);
      } finally {
        await other.close();
      }
    });
  });

  describe('health, readiness and metrics', () => {
    it('answers /healthz and /readyz when the database and the index are there', async () => {
      expect((await api.call('GET', '/healthz')).body).toEqual({ status: 'ok' });
      const ready = await api.call('GET', '/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body.checks.database.ok).toBe(true);
      expect(ready.body.checks.index.detail).toMatch(/structures/);
    });

    it('answers /readyz with 503 when the database cannot be reached', async () => {
      const down = { ...api.store, rows: () => Promise.reject(new Error('connection refused')) };
      const other = await api.startAnother({}, { store: down });
      try {
        const reply = await other.call('GET', '/readyz');
        expect(reply.status).toBe(503);
        expect(reply.body).toMatchObject({ status: 'unavailable', checks: { database: { ok: false }, index: { ok: true } } });
        expect((await other.call('GET', '/healthz')).status).toBe(200);
      } finally {
        await other.close();
      }
    });

    it('exposes Prometheus metrics: latency per route pattern and import counts', async () => {
      await api.call('GET', '/api/v1/structures/dev-s06', { key: api.keys.admin });
      await api.call('POST', '/api/v1/structures/import', {
        key: api.keys.admin, body: `${JSON.stringify(newStructure('metric-1'))}\n{`, headers: { 'content-type': 'application/x-ndjson' },
      });
      const reply = await api.call('GET', '/metrics');
      expect(reply.headers.get('content-type')).toMatch(/text\/plain/);
      expect(reply.text).toMatch(/passerelles_http_request_duration_seconds_bucket\{.*route="\/api\/v1\/structures\/:id".*\}/);
      expect(reply.text).not.toMatch(/route="\/api\/v1\/structures\/dev-s06"/);
      expect(reply.text).toMatch(/passerelles_import_records_total\{kind="structure",outcome="inserted"\} 1/);
      expect(reply.text).toMatch(/passerelles_import_records_total\{kind="structure",outcome="rejected"\} 1/);
    });
  });

  describe('logs and headers', () => {
    it('gives every request an id, echoed in X-Request-Id and bound to each of its log lines', async () => {
      const reply = await api.call('GET', '/api/v1/structures/dev-s06', { key: api.keys.admin, headers: { 'x-request-id': 'trace-abc-123' } });
      expect(reply.headers.get('x-request-id')).toBe('trace-abc-123');
      const lines = api.logs.map((l) => JSON.parse(l)).filter((l) => JSON.stringify(l).includes('trace-abc-123'));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.every((l) => l.reqId === 'trace-abc-123')).toBe(true);
      expect(lines.at(-1)).toMatchObject({ msg: 'request completed', keyId: expect.stringMatching(/^key_/), role: 'admin', res: { statusCode: 200 } });
      const fresh = await api.call('GET', '/healthz');
      expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('never writes a key to the logs', async () => {
      await api.call('GET', '/api/v1/me', { key: api.keys.bretagne });
      await api.call('GET', '/api/v1/me', { key: `psk_${'B'.repeat(43)}` });
      const all = api.logs.join('\n');
      for (const key of Object.values(api.keys)) expect(all).not.toContain(key);
      expect(all).not.toContain('B'.repeat(43));
      expect(all).not.toMatch(/authorization/i);
    });

    it('sends security headers and no X-Powered-By', async () => {
      const reply = await api.call('GET', '/api/v1/docs');
      expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
      expect(reply.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      expect(reply.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(reply.headers.get('x-powered-by')).toBeNull();
    });

    it('keeps CORS closed unless origins are configured', async () => {
      const closed = await api.call('OPTIONS', '/api/v1/structures', { headers: { origin: 'https://exemple.org', 'access-control-request-method': 'GET' } });
      expect(closed.headers.get('access-control-allow-origin')).toBeNull();
      const open = await api.startAnother({ PASSERELLES_CORS_ORIGINS: 'https://passerelles.example.fr' });
      try {
        const preflight = await open.call('OPTIONS', '/api/v1/structures', { headers: { origin: 'https://passerelles.example.fr', 'access-control-request-method': 'GET' } });
        expect(preflight.status).toBe(204);
        expect(preflight.headers.get('access-control-allow-origin')).toBe('https://passerelles.example.fr');
        expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
        const other = await open.call('GET', '/api/v1/me', { key: api.keys.admin, headers: { origin: 'https://ailleurs.example.com' } });
        expect(other.headers.get('access-control-allow-origin')).toBeNull();
      } finally {
        await open.close();
      }
    });
  });

  describe('rate limiting', () => {
    it('answers 429 with Retry-After once a key has used its requests, without slowing other keys', async () => {
      const limited = await api.startAnother({ PASSERELLES_RATE_LIMIT: '3' });
      try {
        const statuses: number[] = [];
        let last;
        for (let i = 0; i < 4; i++) {
          last = await limited.call('GET', '/api/v1/me', { key: api.keys.bretagne });
          statuses.push(last.status);
        }
        expect(statuses).toEqual([200, 200, 200, 429]);
        expect(last!.body.error.code).toBe('rate_limited');
        expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(last!.headers.get('ratelimit-remaining')).toBe('0');
        expect((await limited.call('GET', '/api/v1/me', { key: api.keys.occitanie })).status).toBe(200);
      } finally {
        await limited.close();
      }
    });
  });

  describe('documentation', () => {
    it('serves an OpenAPI 3.1 document of every operation, built from the request schemas', async () => {
      const doc = (await api.call('GET', '/api/v1/openapi.json')).body;
      expect(doc.openapi).toBe('3.1.0');
      const operations = Object.entries(doc.paths as Record<string, Record<string, { operationId: string }>>)
        .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
      expect(operations).toEqual(expect.arrayContaining([
        'GET /api/v1/structures', 'POST /api/v1/structures', 'POST /api/v1/structures/import', 'GET /api/v1/structures/{id}',
        'PUT /api/v1/structures/{id}', 'PATCH /api/v1/structures/{id}', 'DELETE /api/v1/structures/{id}',
        'GET /api/v1/resources', 'POST /api/v1/resources/import', 'GET /api/v1/structures/{id}/matches',
        'GET /api/v1/resources/{id}/matches', 'POST /api/v1/matches/preview', 'GET /api/v1/me', 'POST /api/v1/keys',
      ]));
      const required = contractFields('structure').filter((f) => f.required).map((f) => f.name);
      expect(doc.components.schemas.StructureInput.required).toEqual(required);
      const create = doc.paths['/api/v1/structures'].post;
      expect(create.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/StructureInput' });
      expect(create.responses['401']['x-error-codes']).toContain('auth.missing_key');
      const matches = doc.paths['/api/v1/structures/{id}/matches'].get;
      expect(matches.parameters.map((p: { name: string }) => p.name)).toEqual(['id', 'limit', 'as_of', 'pillar', 'explain', 'include_excluded']);
      expect(doc.paths['/api/v1/openapi.json']).toBeUndefined();
    });

    it('renders it as a French HTML page served by the app, without any outside resource', async () => {
      const reply = await api.call('GET', '/api/v1/docs');
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toMatch(/text\/html/);
      expect(reply.text).toContain('<html lang="fr">');
      expect(reply.text).toContain('/api/v1/structures/{id}/matches');
      expect(reply.text).toContain('Paramètres');
      expect(reply.text).toMatch(/id="schema-StructureInput"/);
      expect(reply.text).not.toMatch(/<script|<link|src="http|href="http/);
    });

    it('lets anyone read the documentation without a key', async () => {
      expect((await api.call('GET', '/api/v1/openapi.json')).status).toBe(200);
      expect((await api.call('GET', `/api/v1/structures/dev-s06/matches?as_of=${AS_OF}`)).status).toBe(401);
    });
  });
});
