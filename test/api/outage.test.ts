/**
 * The database unreachable under the API, with a fake database layer in front of the test store
 * (the real PostgreSQL stopped under traffic is test/integration's): routes answer 503
 * `service.unavailable` with Retry-After at once instead of waiting on the driver each time,
 * matches served from memory keep working for keys the process knows, a key revoked here is
 * refused at once all the same, and the service recovers by itself when the database is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/db/open.ts';
import { startTestApi, type Call, type TestApi } from './support.ts';

/** How long the fake driver takes to give up on a connection (the real one: up to ~12 s). */
const DRIVER_GIVES_UP_MS = 1_500;

/** The store, but every query fails after DRIVER_GIVES_UP_MS with ECONNREFUSED while `down`. */
function flaky(store: Store) {
  const state = { down: false, calls: 0 };
  const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  const fail = () => new Promise<never>((_ok, ko) => { state.calls += 1; setTimeout(() => ko(refused()), DRIVER_GIVES_UP_MS); });
  // Any chain of drizzle builder calls, failing when awaited.
  const failing: any = new Proxy(function chain() {}, {
    get: (_t, prop) => (prop === 'then' ? (ok: never, ko: never) => fail().then(ok, ko) : failing),
    apply: () => failing,
  });
  const db = new Proxy(store.db, { get: (target, prop, receiver) => (state.down ? failing : Reflect.get(target, prop, receiver)) });
  const wrapped: Store = { ...store, db, rows: (q) => (state.down ? fail() : store.rows(q)) };
  return { store: wrapped, state };
}

async function timed(call: Call, method: string, path: string, key?: string) {
  const started = performance.now();
  const reply = await call(method, path, { key });
  return { ...reply, ms: performance.now() - started };
}

describe('a database outage under the API', () => {
  let api: TestApi;
  let app: { call: Call; close(): Promise<void> };
  let state: { down: boolean; calls: number };

  beforeAll(async () => {
    api = await startTestApi('pglite');
    const fake = flaky(api.store);
    state = fake.state;
    app = await api.startAnother({}, { store: fake.store });
  });
  afterAll(async () => {
    await app?.close();
    await api?.close();
  });

  it('answers 503 service.unavailable with Retry-After within a second once the first refusal is seen, serves matches from memory for known keys, and recovers by itself', async () => {
    const { admin, bretagne, structureBzh, occitanie } = api.keys;
    for (const key of [admin, bretagne, structureBzh]) expect((await app.call('GET', '/api/v1/me', { key })).status).toBe(200);
    const bretagneId = (await app.call('GET', '/api/v1/me', { key: bretagne })).body.key_id as string;
    expect((await app.call('DELETE', `/api/v1/keys/${bretagneId}`, { key: admin })).status).toBe(200);

    state.down = true;
    const first = await timed(app.call, 'GET', '/api/v1/structures', admin);
    expect(first.status).toBe(503);
    expect(first.body.error.code).toBe('service.unavailable');
    expect(Number(first.headers.get('retry-after'))).toBeGreaterThan(0);

    const callsWhenOpen = state.calls;
    for (const path of ['/api/v1/structures', '/api/v1/structures/dev-s06', '/api/v1/resources?limit=3', '/api/v1/audit', '/api/v1/keys']) {
      const reply = await timed(app.call, 'GET', path, admin);
      expect(reply.status, path).toBe(503);
      expect(reply.body.error.code).toBe('service.unavailable');
      expect(reply.headers.get('retry-after')).toBeTruthy();
      expect(reply.ms, path).toBeLessThan(1_000);
    }
    // Matches are served from memory, for keys this process knows.
    for (const [key, path] of [[admin, '/api/v1/structures/dev-s06/matches'], [structureBzh, '/api/v1/structures/dev-s06/matches'], [admin, '/api/v1/resources/dev-r01/matches']]) {
      const reply = await timed(app.call, 'GET', path, key);
      expect(reply.status, path).toBe(200);
      expect(reply.ms).toBeLessThan(1_000);
    }
    // A key revoked here is not served from the cache; a key never seen cannot be checked: 503 at once.
    for (const key of [bretagne, occitanie]) {
      const reply = await timed(app.call, 'GET', '/api/v1/structures/dev-s06/matches', key);
      expect(reply.status).toBe(503);
      expect(reply.ms).toBeLessThan(1_000);
    }
    expect(state.calls - callsWhenOpen).toBeLessThanOrEqual(2); // the probes only

    state.down = false;
    const deadline = Date.now() + 5_000;
    let back = await app.call('GET', '/api/v1/structures?limit=1', { key: admin });
    while (back.status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      back = await app.call('GET', '/api/v1/structures?limit=1', { key: admin });
    }
    expect(back.status).toBe(200);
    expect((await app.call('GET', '/api/v1/structures/dev-s06/matches', { key: occitanie })).status).toBe(403);
    expect((await app.call('GET', '/api/v1/structures/dev-s06/matches', { key: bretagne })).status).toBe(401);
  });
});
