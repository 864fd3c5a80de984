/**
 * How the service starts: its port first (a port in use said at once, in French, before anything
 * is loaded), /readyz 503 with the loading stage until the index is there; and its keys, checked
 * from memory, refused at once when revoked.
 */
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { loadingHandler, type StartState } from '../../src/api/loading.ts';
import { startServer } from '../../src/api/server.ts';
import { serveCommand } from '../../src/cli/commands/serve.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createKeys } from '../../src/keys/keys.usecases.ts';
import { OPERATOR } from '../../src/access/access.policy.ts';
import { createKeysRepository } from '../../src/keys/keys.repository.ts';
import { actorOf } from '../../src/audit/audit.repository.ts';
import { storeKinds } from '../support/stores.ts';
import { startTestApi, type TestApi } from './support.ts';

const logger = pino({ level: 'silent' });

/** A port some other program holds. */
async function takenPort(): Promise<{ port: number; release(): Promise<void> }> {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const { port } = holder.address() as { port: number };
  return { port, release: () => new Promise((resolve) => { holder.close(() => resolve()); }) };
}

describe('the start of the service', () => {
  it('answers /healthz 200, and /readyz 503 with the loading stage and its progress, while the index loads', async () => {
    const state: StartState = { stage: 'reading_records', records: 50_000, total: 250_000, startedAt: performance.now() };
    const server = await startServer({ app: loadingHandler(state), port: 0, host: '127.0.0.1', logger, shutdownTimeoutMs: 500 });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        status: 'loading', loading: { stage: 'reading_records', detail: 'lecture des enregistrements', records: 50_000, total: 250_000 },
      });
      state.stage = 'catching_up';
      expect((await (await fetch(`${server.url}/readyz`)).json()).loading.detail).toMatch(/rattrapage/);
      const api = await fetch(`${server.url}/api/v1/structures/x/matches`);
      expect(api.status).toBe(503);
      expect(api.headers.get('retry-after')).toBe('5');
      expect((await api.json()).error).toMatchObject({ code: 'service.loading', message: expect.stringMatching(/^Le service démarre \(rattrapage/) });
    } finally {
      await server.close();
    }
  });

  it('says in French that the port is already in use', async () => {
    const taken = await takenPort();
    try {
      await expect(startServer({ app: loadingHandler({ stage: 'opening_database', startedAt: 0 }), port: taken.port, host: '127.0.0.1', logger, shutdownTimeoutMs: 500 }))
        .rejects.toMatchObject({ code: 'serve.port_in_use', message: expect.stringMatching(new RegExp(`^Le port ${taken.port} est déjà utilisé sur 127\\.0\\.0\\.1.*PORT=${taken.port + 1}`)) });
    } finally {
      await taken.release();
    }
  });

  it('`serve` on a port in use stops at once, before opening the database', async () => {
    const taken = await takenPort();
    const dir = mkdtempSync(join(tmpdir(), 'passerelles-serve-'));
    try {
      const config = loadConfig({ PORT: String(taken.port), PASSERELLES_DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' });
      const out: string[] = [];
      const ctx = {
        config, logger, stdout: { write: (s: string) => out.push(s) }, stderr: { write: () => true },
        withStore: () => { throw new Error('not used'); },
      } as never;
      const started = performance.now();
      await expect(serveCommand.run([], ctx)).rejects.toMatchObject({ code: 'serve.port_in_use' });
      expect(performance.now() - started).toBeLessThan(2000);
      expect(existsSync(join(dir, 'data'))).toBe(false);
      expect(out).toEqual([]);
    } finally {
      await taken.release();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(storeKinds())('keys checked from memory on %s', (kind) => {
  let api: TestApi;
  beforeAll(async () => { api = await startTestApi(kind); });
  afterAll(() => api?.close());

  it('refuses a revoked key at once, even just after it was checked and remembered', async () => {
    const admin = createKeys({ store: api.store, geography: api.geography });
    const { key, record } = await admin.create(OPERATOR, { role: 'admin', label: 'révoquée' });
    expect((await api.call('GET', '/api/v1/me', { key })).status).toBe(200);
    expect((await api.call('GET', '/api/v1/me', { key })).status).toBe(200);
    await admin.revoke(OPERATOR, record.id);
    const after = await api.call('GET', '/api/v1/me', { key });
    expect([after.status, after.body.error.code]).toEqual([401, 'auth.invalid_key']);
  });

  it('refuses within about a second a key revoked by another process, straight in the database', async () => {
    const admin = createKeys({ store: api.store, geography: api.geography });
    const { key, record } = await admin.create(OPERATOR, { role: 'admin', label: 'ailleurs' });
    expect((await api.call('GET', '/api/v1/me', { key })).status).toBe(200);
    await createKeysRepository(api.store).revoke(record.id, new Date(), actorOf(OPERATOR)); // as another process would: this one's cache is not told
    const until = Date.now() + 3000;
    let status = 200;
    while (status === 200 && Date.now() < until) {
      status = (await api.call('GET', '/api/v1/me', { key })).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(401);
  });
});
