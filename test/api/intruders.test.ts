/**
 * Intruders: what a caller without the right key, or with hostile input, gets from every route of
 * the route table and every web page. The route list is the app's own table, so a new route is
 * tried here without anyone adding it:
 *
 * - no key, a malformed, unknown, revoked or expired key: 401 on every API route, nothing else said;
 * - the routes the role matrix of roles.test.ts leaves out (models, reports) for each role;
 * - the web pages for each role, a revoked key's session included;
 * - SQL injection and path traversal strings in every path, query and body string: a 4xx or a
 *   harmless answer, never a 5xx, and nothing changed in the store;
 * - deeply nested and oversized bodies: 400 or 413, quickly;
 * - a structure key probing other structures: the same 404 as for an absent one (status, code,
 *   message, timing), and counts that never tell about structures it cannot read.
 *
 * Every error answered must be one the OpenAPI document lists for that route.
 */
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../src/api/app.ts';
import type { ApiContext } from '../../src/api/context.ts';
import { openApiPath, type RouteSpec } from '../../src/api/routes.ts';
import { OPERATOR } from '../../src/access/access.policy.ts';
import { actorOf } from '../../src/audit/audit.repository.ts';
import { createKeysRepository } from '../../src/keys/keys.repository.ts';
import { createApiKey } from '../../src/keys/keys.usecases.ts';
import { runBatchOn } from '../support/batch.ts';
import { AS_OF, newResource, newStructure, startTestApi, type Call, type Reply, type TestApi } from './support.ts';

type Json = Record<string, any>;
const routeTable = (): RouteSpec[] => apiRoutes(new Proxy({}, { get: () => new Proxy({}, { get: () => undefined }) }) as unknown as ApiContext);

/** A concrete path for a route: its parameters filled with `value` (or sane values). */
function concrete(route: RouteSpec, value?: string): string {
  const sane: Record<string, string> = { id: 'dev-s06', version: 'default-v4', run: '1', region: '53', format: 'json' };
  return `/api/v1${route.path.replace(/:([A-Za-z_]+)/g, (_m, name: string) => encodeURIComponent(value ?? sane[name]))}`;
}

/** Fails unless the error answered is one the document lists for this operation and status. */
function expectDocumented(doc: Json, route: RouteSpec, reply: Reply): void {
  if (reply.status < 400) return;
  const op = doc.paths[`/api/v1${openApiPath(route.path)}`][route.method];
  const codes: string[] = op.responses[String(reply.status)]?.['x-error-codes'] ?? [];
  expect(codes, `${route.operationId} ${reply.status} ${reply.body?.error?.code}`).toContain(reply.body?.error?.code);
}

/** A request sent byte for byte (no URL normalisation: `..` stays as it is). */
function rawGet(url: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method: 'GET', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

const INJECTIONS = [
  `' OR '1'='1`, `'; DROP TABLE structures; --`, `1) UNION SELECT key_hash FROM api_keys --`, `" OR ""="`,
  `$1`, `%' OR 1=1 --`, `\\'; select pg_sleep(5); --`,
];
const TRAVERSALS = ['../../../../etc/passwd', '..\\..\\windows\\win.ini', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/etc/passwd', '....//....//x'];
const HOSTILE = [...INJECTIONS, ...TRAVERSALS];

async function tableCounts(api: TestApi): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['structures', 'resources', 'api_keys', 'feedback_events']) {
    const [row] = await api.store.rows<{ n: number | string }>(sql.raw(`select count(*) as n from ${table}`));
    counts[table] = Number(row.n);
  }
  return counts;
}

describe('intruders', () => {
  let api: TestApi;
  let doc: Json;
  let call: Call;
  let revoked: string;
  let expired: string;
  let reportsDir: string;
  /** The app whose reports folder is reportsDir (the API calls and the pages go there). */
  let url: string;
  const routes = routeTable();

  beforeAll(async () => {
    reportsDir = mkdtempSync(join(tmpdir(), 'passerelles-intruders-'));
    api = await startTestApi('pglite');
    const another = await api.startAnother({ PASSERELLES_REPORTS_DIR: reportsDir });
    call = another.call;
    url = another.url;
    doc = (await call('GET', '/api/v1/openapi.json')).body;
    const deps = (now: Date) => ({
      keys: createKeysRepository(api.store), isRegion: () => true, structureExists: async () => true, now: () => now, actor: actorOf(OPERATOR),
    });
    const made = await createApiKey(deps(new Date()), { role: 'admin', label: 'révoquée' });
    revoked = made.key;
    expect((await call('DELETE', `/api/v1/keys/${made.record.id}`, { key: api.keys.admin })).status).toBe(200);
    expired = (await createApiKey(deps(new Date('2020-01-01T00:00:00Z')), { role: 'admin', label: 'expirée', expires: '2020-06-30' })).key;
    await runBatchOn(api.store, { reportsDir });
  });
  afterAll(async () => {
    await api?.close();
    rmSync(reportsDir, { recursive: true, force: true });
  });

  describe('keys that open nothing', () => {
    const bad: [string, (t: { revoked: string; expired: string }) => Record<string, string>, string][] = [
      ['no key', () => ({}), 'auth.missing_key'],
      ['a malformed key', () => ({ authorization: 'Bearer pas-une-cle' }), 'auth.invalid_key'],
      ['an unknown key', () => ({ authorization: `Bearer psk_${'0'.repeat(43)}` }), 'auth.invalid_key'],
      ['a revoked key', (t) => ({ authorization: `Bearer ${t.revoked}` }), 'auth.invalid_key'],
      ['an expired key', (t) => ({ 'x-api-key': t.expired }), 'auth.invalid_key'],
    ];
    it.each(bad)('every route of the table answers 401 to %s, and says nothing else', async (_name, headers, code) => {
      for (const route of routes) {
        const reply = await call(route.method.toUpperCase(), concrete(route), {
          headers: { ...headers({ revoked, expired }), 'content-type': 'application/json' }, body: route.body || route.rawBody ? '{}' : undefined,
        });
        expect(reply.status, `${route.operationId}: ${reply.text}`).toBe(401);
        expect(Object.keys(reply.body)).toEqual(['error']);
        expect(reply.body.error.code).toBe(code);
        expectDocumented(doc, route, reply);
      }
    });
  });

  describe('routes beyond the role matrix of roles.test.ts: models and reports', () => {
    const WHO = ['admin', 'bretagne', 'occitanie', 'structureBzh'] as const;
    const cases: { name: string; method: string; path: string; json?: unknown; expect: Record<(typeof WHO)[number], number> }[] = [
      { name: 'list models', method: 'GET', path: '/api/v1/models', expect: { admin: 200, bretagne: 403, occitanie: 403, structureBzh: 403 } },
      { name: 'show a model', method: 'GET', path: '/api/v1/models/absent', expect: { admin: 404, bretagne: 403, occitanie: 403, structureBzh: 403 } },
      { name: 'promote a model', method: 'POST', path: '/api/v1/models/absent/promote', json: {}, expect: { admin: 404, bretagne: 403, occitanie: 403, structureBzh: 403 } },
      { name: 'roll back', method: 'POST', path: '/api/v1/models/rollback', expect: { admin: 409, bretagne: 403, occitanie: 403, structureBzh: 403 } },
      { name: 'list reports', method: 'GET', path: '/api/v1/reports', expect: { admin: 200, bretagne: 200, occitanie: 200, structureBzh: 403 } },
      { name: 'Bretagne report', method: 'GET', path: '/api/v1/reports/1/53.json', expect: { admin: 200, bretagne: 200, occitanie: 403, structureBzh: 403 } },
      { name: 'national report', method: 'GET', path: '/api/v1/reports/1/national.csv', expect: { admin: 200, bretagne: 403, occitanie: 403, structureBzh: 403 } },
    ];
    const rows = cases.flatMap((c) => WHO.map((who) => ({ ...c, who, status: c.expect[who] })));
    it.each(rows)('$name as $who answers $status', async ({ method, path, json, who, status }) => {
      const reply = await call(method, path, { key: api.keys[who], json });
      expect(reply.status, reply.text).toBe(status);
      const route = routes.find((r) => r.method === method.toLowerCase()
        && new RegExp(`^/api/v1${r.path.replace(/:[A-Za-z_]+/g, '[^/.]+')}$`).test(path))!;
      expectDocumented(doc, route, reply);
    });

    it('a delegate’s report list names only its régions', async () => {
      const reply = await call('GET', '/api/v1/reports', { key: api.keys.bretagne });
      expect(reply.body.items.map((e: { scope: string }) => e.scope)).toEqual(['53']);
    });
  });

  describe('web pages for each role', () => {
    /** Signs in with a key (the CSRF token of the sign-in page), returns a cookie-keeping GET. */
    async function session(key?: string) {
      const jar = new Map<string, string>();
      const get = async (path: string, method = 'GET', form?: Record<string, string>) => {
        const res = await fetch(url + path, {
          method, redirect: 'manual', body: form ? new URLSearchParams(form) : undefined,
          headers: { accept: 'text/html', cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
            ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        });
        for (const c of res.headers.getSetCookie()) {
          const [k, v] = c.split(';')[0].split('=');
          if (/Max-Age=0/.test(c)) jar.delete(k); else jar.set(k, v);
        }
        return { status: res.status, location: res.headers.get('location'), text: await res.text() };
      };
      if (key) {
        const page = await get('/connexion');
        const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
        expect((await get('/connexion', 'POST', { _csrf: csrf, key, suite: '/' })).status).toBe(303);
      }
      return get;
    }

    const PAGES = ['/', '/essayer', '/connexion', '/structures', '/ressources', '/structures/dev-s06', '/structures/dev-s25',
      '/ressources/dev-r58', '/inscriptions', '/rapports', '/rapports/1-53/json', '/rapports/1-national/json', '/admin/cles', '/admin/imports', '/admin/modeles'];
    const OK = 200;
    const SIGN_IN = 303;
    /** The pages hide what a role may not see (404), where the API may answer 403. */
    const NO = 404;
    const HOME = 303;
    const EXPECT: Record<string, number[]> = {
      //                     /   essayer conn. structs ress. s06 s25 r58 inscr. rapp. r53 rnat cles imports modeles
      anonymous: [OK, OK, OK, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN],
      structureBzh: [OK, OK, HOME, NO, OK, OK, NO, OK, NO, NO, NO, NO, NO, NO, NO],
      bretagne: [OK, OK, HOME, OK, OK, OK, NO, NO, OK, OK, OK, NO, NO, NO, NO],
      admin: [OK, OK, HOME, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK],
    };
    it.each(Object.keys(EXPECT))('as %s, each page answers as its role allows', async (who) => {
      const get = await session(who === 'anonymous' ? undefined : api.keys[who as 'admin']);
      const got: number[] = [];
      for (const page of PAGES) got.push((await get(page)).status);
      expect(Object.fromEntries(PAGES.map((p, i) => [p, got[i]]))).toEqual(Object.fromEntries(PAGES.map((p, i) => [p, EXPECT[who][i]])));
    });

    it('a revoked key’s session opens no page any more', async () => {
      const made = await call('POST', '/api/v1/keys', { key: api.keys.admin, json: { role: 'admin', label: 'session révoquée' } });
      const get = await session(made.body.key);
      expect((await get('/admin/cles')).status).toBe(200);
      await call('DELETE', `/api/v1/keys/${made.body.api_key.id}`, { key: api.keys.admin });
      const after = await get('/admin/cles');
      expect(after.status).toBe(303);
      expect(after.location).toMatch(/^\/connexion/);
    });

    it('no report file is read outside the reports of a run, whatever the address says', async () => {
      writeFileSync(join(reportsDir, 'secret.json'), '{"secret":"hors des rapports"}');
      const get = await session(api.keys.admin);
      for (const id of ['1-..%2Fsecret', '1-..%2F..%2Fsecret', '1-%2E%2E%2Fsecret']) {
        const reply = await get(`/rapports/${id}/json`);
        expect(reply.status, id).toBe(404);
        expect(reply.text).not.toContain('hors des rapports');
      }
      expect((await get('/rapports/1-53/json')).status).toBe(200);
    });
  });

  describe('hostile strings in every parameter', () => {
    it('path parameters of every route: a 4xx documented for the route, never a 5xx, nothing changed', async () => {
      const before = await tableCounts(api);
      for (const route of routes.filter((r) => r.params)) {
        for (const value of HOSTILE) {
          const reply = await call(route.method.toUpperCase(), concrete(route, value), {
            key: api.keys.admin, json: route.body ? {} : undefined,
            body: route.rawBody ? '' : undefined, headers: route.rawBody ? { 'content-type': 'application/x-ndjson' } : undefined,
          });
          expect(reply.status, `${route.operationId} ${value}: ${reply.text}`).toBeGreaterThanOrEqual(400);
          expect(reply.status, `${route.operationId} ${value}: ${reply.text}`).toBeLessThan(500);
          expectDocumented(doc, route, reply);
        }
      }
      expect(await tableCounts(api)).toEqual(before);
    });

    it('dot segments sent as they are reach no other route and no file', async () => {
      for (const path of ['/api/v1/structures/../keys', '/api/v1/structures/..%2f..%2fkeys', '/api/v1/reports/1/..%2f..%2fpackage.json',
        '/static/..%2f..%2fpackage.json', '/static/../../package.json', '/api/v1/../../package.json']) {
        const reply = await rawGet(url, path, { authorization: `Bearer ${api.keys.bretagne}` });
        expect(reply.status, path).toBeGreaterThanOrEqual(400);
        expect(reply.status, path).toBeLessThan(500);
        expect(reply.text, path).not.toMatch(/"dependencies"|psk_|key_hash/);
      }
    });

    it('query parameters of every route: a 4xx or an answer without any record it should not hold, never a 5xx', async () => {
      const before = await tableCounts(api);
      for (const route of routes.filter((r) => r.query)) {
        const names = Object.keys((route.query as unknown as { shape: Record<string, unknown> }).shape);
        for (const name of names) {
          for (const value of HOSTILE) {
            const path = `${concrete(route)}?${new URLSearchParams({ [name]: value })}`;
            const reply = await call(route.method.toUpperCase(), path, {
              key: api.keys.structureBzh, json: route.body ? {} : undefined,
              body: route.rawBody ? '' : undefined, headers: route.rawBody ? { 'content-type': 'application/x-ndjson' } : undefined,
            });
            expect(reply.status, `${route.operationId} ${name}=${value}: ${reply.text}`).toBeLessThan(500);
            expectDocumented(doc, route, reply);
            if (reply.status === 200) expect(JSON.stringify(reply.body.items ?? [])).not.toMatch(/dev-s25|dev-s08/);
          }
        }
      }
      expect(await tableCounts(api)).toEqual(before);
    });

    it('body strings are data, never SQL: stored and read back as they were, and the tables intact', async () => {
      const admin = api.keys.admin;
      const before = await tableCounts(api);
      for (const [i, value] of HOSTILE.entries()) {
        const created = await call('POST', '/api/v1/structures', {
          key: admin, json: newStructure(`hostile-${i}`, { name: value, need_text: value, tags: [value], [value]: value }),
        });
        expect(created.status, created.text).toBe(201);
        const read = await call('GET', `/api/v1/structures/hostile-${i}`, { key: admin });
        expect(read.body.name).toBe(value);
        expect(read.body.tags).toEqual([value]);
        expect(read.body.extra[value]).toBe(value);
        const listed = await call('GET', `/api/v1/structures?${new URLSearchParams({ q: value, limit: '200' })}`, { key: admin });
        expect(listed.status, listed.text).toBeLessThan(500);
        for (const bad of [{ postal_code: value }, { legal_form: value }, { needs: [value] }, { employees: value }]) {
          const refused = await call('PATCH', `/api/v1/structures/hostile-${i}`, { key: admin, json: bad });
          expect(refused.status, `${JSON.stringify(bad)} ${refused.text}`).toBe(400);
        }
        for (const json of [
          { client_event_id: value, kind: 'viewed', structure_id: value, resource_id: value },
          { client_event_id: `e-${i}`, kind: 'viewed', ranking_id: value, item_id: value },
        ]) {
          const reply = await call('POST', '/api/v1/feedback', { key: admin, json });
          expect([400, 404], reply.text).toContain(reply.status);
        }
        const key = await call('POST', '/api/v1/keys', { key: admin, json: { role: 'structure', structure_id: value } });
        expect([400], key.text).toContain(key.status);
        const preview = await call('POST', '/api/v1/matches/preview', { key: admin, json: { resource: newResource(value, { title: value, scope: value }) } });
        expect(preview.status, preview.text).toBe(400);
      }
      const after = await tableCounts(api);
      expect(after).toEqual({ ...before, structures: before.structures + HOSTILE.length });
    });
  });

  describe('bodies too deep or too large', () => {
    const deepArrays = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    const deepObjects = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
    const bodies: [string, string][] = [
      ['10,000 nested arrays', deepArrays(10_000)],
      ['100,000 nested arrays', deepArrays(100_000)],
      ['10,000 nested objects', deepObjects(10_000)],
      ['10,000 nested objects in an unknown field of a record', JSON.stringify(newStructure('deep-1')).replace(/}$/, `,"extra_deep":${deepObjects(10_000)}}`)],
    ];
    it.each(bodies)('%s: 400 quickly, on every route with a JSON body, and the service goes on', async (_name, body) => {
      for (const route of routes.filter((r) => r.body)) {
        const started = performance.now();
        const reply = await call(route.method.toUpperCase(), concrete(route), {
          key: api.keys.admin, body, headers: { 'content-type': route.method === 'patch' ? 'application/merge-patch+json' : 'application/json' },
        });
        const ms = performance.now() - started;
        expect(reply.status, `${route.operationId}: ${reply.text.slice(0, 300)}`).toBe(400);
        expectDocumented(doc, route, reply);
        expect(ms, route.operationId).toBeLessThan(2000);
      }
      expect((await call('GET', '/api/v1/me', { key: api.keys.admin })).status).toBe(200);
    });

    it('a body over the limit is refused with 413 before it is read whole, on every route with a body', async () => {
      const big = `{"name":"${'x'.repeat(2 * 1024 * 1024)}"}`;
      for (const route of routes.filter((r) => r.body)) {
        const reply = await call(route.method.toUpperCase(), concrete(route), { key: api.keys.admin, body: big, headers: { 'content-type': 'application/json' } });
        expect(reply.status, route.operationId).toBe(413);
        expectDocumented(doc, route, reply);
      }
    });
  });

  describe('a structure key probing other structures', () => {
    const key = () => api.keys.structureBzh;
    const same = (hidden: Reply, absent: Reply, hiddenId: string, absentId: string) => {
      expect(hidden.status).toBe(absent.status);
      expect(hidden.body.error.code).toBe(absent.body.error.code);
      expect(hidden.body.error.message.replaceAll(hiddenId, 'X')).toBe(absent.body.error.message.replaceAll(absentId, 'X'));
      expect([...hidden.headers.keys()].sort()).toEqual([...absent.headers.keys()].sort());
    };

    it('gets the same 404 for another structure as for one that does not exist, on every structure route', async () => {
      for (const [method, suffix, json] of [
        ['GET', ''], ['PUT', '', 'body'], ['PATCH', '', { volunteers: 1 }], ['DELETE', ''], ['GET', '/matches'],
      ] as const) {
        const body = (id: string) => (json === 'body' ? newStructure(id) : json);
        const hidden = await call(method, `/api/v1/structures/dev-s25${suffix}`, { key: key(), json: body('dev-s25') });
        const absent = await call(method, `/api/v1/structures/absente-s99${suffix}`, { key: key(), json: body('absente-s99') });
        expect(hidden.status, `${method} ${suffix}`).toBe(404);
        same(hidden, absent, 'dev-s25', 'absente-s99');
      }
      const feedback = (id: string) => ({ client_event_id: `probe-${id}`, kind: 'viewed', structure_id: id, resource_id: 'dev-r02' });
      same(await call('POST', '/api/v1/feedback', { key: key(), json: feedback('dev-s25') }),
        await call('POST', '/api/v1/feedback', { key: key(), json: feedback('absente-s99') }), 'dev-s25', 'absente-s99');
    });

    it('cannot tell another structure from an absent one by the time of the answer', async () => {
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const time = async (path: string) => {
        const started = performance.now();
        await call('GET', path, { key: key() });
        return performance.now() - started;
      };
      const hidden: number[] = [];
      const absent: number[] = [];
      for (let i = 0; i < 5; i += 1) { await time('/api/v1/structures/dev-s25'); await time('/api/v1/structures/absente-s99'); }
      for (let i = 0; i < 60; i += 1) {
        hidden.push(await time('/api/v1/structures/dev-s25'));
        absent.push(await time(`/api/v1/structures/absente-${i}`));
      }
      // Both answers are decided without reading the store: the medians differ by noise only.
      const [h, a] = [median(hidden), median(absent)];
      expect(Math.abs(h - a), `hidden ${h.toFixed(2)} ms, absent ${a.toFixed(2)} ms`).toBeLessThan(Math.max(1.5, 0.5 * Math.min(h, a)));
    });

    it('lists and counts never reveal a structure it cannot read', async () => {
      const own = await call('GET', '/api/v1/structures?limit=200&status=all', { key: key() });
      expect(own.body.items.map((s: { id: string }) => s.id)).toEqual(['dev-s06']);
      const filtered = await call('GET', '/api/v1/structures?region=76&status=all', { key: key() });
      expect(filtered.body).toEqual({ items: [], next_cursor: null });
      for (const id of ['dev-r02', 'dev-r52', 'dev-r60']) {
        const reply = await call('GET', `/api/v1/resources/${id}/matches?as_of=${AS_OF}&include_excluded=true&limit=200`, { key: key() });
        expect(reply.status).toBe(200);
        expect(reply.body.results.every((r: { id: string }) => r.id === 'dev-s06')).toBe(true);
        expect(reply.body.excluded_by_feedback + reply.body.excluded_by_weekly_limit, id).toBeLessThanOrEqual(1);
      }
      const events = await call('GET', '/api/v1/feedback?structure_id=dev-s25', { key: key() });
      expect(events.body).toEqual({ items: [], next_cursor: null });
    });
  });
});
