/**
 * No key, key hash or personal data in a log line: a run of API and web requests — good keys, bad
 * keys, a key in the address, then failing queries (tables gone from under the service) — with
 * the service's own logger, whose output is then searched for every key, its sha-256, any 64-hex
 * string, and the contents of a record the failing write carried.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/config/logger.ts';
import { createApiKey, hashKey } from '../../src/keys/keys.usecases.ts';
import { createKeysRepository } from '../../src/keys/keys.repository.ts';
import { OPERATOR } from '../../src/access/access.policy.ts';
import { actorOf } from '../../src/audit/audit.repository.ts';
import { newStructure, startTestApi, type Call, type TestApi } from './support.ts';

/** Signs in on the web page with a key (the form's CSRF token and cookie handled). */
async function webSignIn(base: string, key: string): Promise<number> {
  const page = await fetch(`${base}/connexion`, { headers: { accept: 'text/html' } });
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const res = await fetch(`${base}/connexion`, {
    method: 'POST', redirect: 'manual', body: new URLSearchParams({ _csrf: csrf, key, suite: '/' }),
    headers: { accept: 'text/html', cookie, 'content-type': 'application/x-www-form-urlencoded' },
  });
  await res.text();
  return res.status;
}

describe('the logs of a run with failing queries', () => {
  let api: TestApi;
  let app: { url: string; call: Call; close(): Promise<void> };
  const lines: string[] = [];

  beforeAll(async () => {
    api = await startTestApi('pglite');
    app = await api.startAnother({}, { logger: createLogger('debug', { write: (line: string) => { lines.push(line); } }) });
  });
  afterAll(async () => {
    await app?.close();
    await api?.close();
  });

  it('hold no key, no key hash and no record contents', async () => {
    const fresh = async () => (await createApiKey({
      keys: createKeysRepository(api.store), isRegion: () => true, structureExists: async () => true, actor: actorOf(OPERATOR),
    }, { role: 'admin', label: 'journal' })).key;
    const [unseen, unseenWeb] = [await fresh(), await fresh()];
    const { admin, bretagne } = api.keys;
    const record = newStructure('journal-s1', { name: 'Épicerie Solidaire Confidentielle Yvonne Kermarrec' });

    expect((await app.call('GET', '/api/v1/me', { key: admin })).status).toBe(200);
    expect((await app.call('GET', '/api/v1/structures/dev-s06/matches', { key: bretagne })).status).toBe(200);
    expect((await app.call('GET', '/api/v1/me', { key: `psk_${'q'.repeat(43)}` })).status).toBe(401);
    expect((await app.call('GET', `/api/v1/me?api_key=${admin}`, { key: admin })).status).toBe(400);
    expect(await webSignIn(app.url, bretagne)).toBe(303);

    await api.store.rows(sql.raw('alter table api_keys rename to api_keys_away'));
    await api.store.rows(sql.raw('alter table structures rename to structures_away'));
    try {
      expect((await app.call('GET', '/api/v1/me', { key: unseen })).status).toBe(500);
      expect(await webSignIn(app.url, unseenWeb)).toBeGreaterThanOrEqual(400);
      expect((await app.call('POST', '/api/v1/structures', { key: admin, json: record })).status).toBe(500);
      expect((await app.call('POST', '/api/v1/keys', { key: admin, json: { role: 'admin', label: 'jamais' } })).status).toBe(500);
    } finally {
      await api.store.rows(sql.raw('alter table api_keys_away rename to api_keys'));
      await api.store.rows(sql.raw('alter table structures_away rename to structures'));
    }
    await new Promise((r) => setTimeout(r, 50));

    const text = lines.join('');
    expect(text).toContain('request failed'); // the failures were logged…
    for (const key of [admin, bretagne, unseen, unseenWeb]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(hashKey(key));
    }
    expect(text).not.toMatch(/[0-9a-f]{64}/); // …without a hash, not even of the key being created
    expect(text).not.toContain('Kermarrec');
  });
});
