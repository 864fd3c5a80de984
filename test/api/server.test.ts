/**
 * The pieces of the API that need no database: graceful shutdown of the server, the scope policy,
 * the token buckets, JSON Merge Patch and the accent folding of free-text search.
 */
import { describe, expect, it } from 'vitest';
import express from 'express';
import { pino } from 'pino';
import {
  canSeeResource, resourceAccess, ROLES, seesEveryResource, structureAccess, type Access, type Action, type Caller, type ResourcePlace,
} from '../../src/access/access.policy.ts';
import { SCOPES } from '../../src/domain/types.ts';
import { generateKey, hashKey } from '../../src/keys/keys.usecases.ts';
import { createTokenBuckets } from '../../src/api/rate-limit.ts';
import { fold } from '../../src/records/records.search.ts';
import { mergePatch } from '../../src/records/records.usecases.ts';
import { startServer } from '../../src/api/server.ts';

const logger = pino({ level: 'silent' });

function slowApp(delayMs: number) {
  const app = express();
  app.get('/slow', async (_req, res) => {
    await new Promise((r) => setTimeout(r, delayMs));
    res.json({ done: true });
  });
  app.get('/fast', (_req, res) => { res.json({ ok: true }); });
  return app;
}

describe('the HTTP server', () => {
  it('listens on an ephemeral port and tells its URL', async () => {
    const server = await startServer({ app: slowApp(0), port: 0, host: '127.0.0.1', logger, shutdownTimeoutMs: 1000 });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${server.url}/fast`)).json()).toEqual({ ok: true });
    await server.close();
  });

  it('finishes the requests in flight when closing, then refuses new connections', async () => {
    const server = await startServer({ app: slowApp(300), port: 0, host: '127.0.0.1', logger, shutdownTimeoutMs: 5000 });
    await fetch(`${server.url}/fast`); // leaves an idle keep-alive connection behind
    const inFlight = fetch(`${server.url}/slow`);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    const closed = server.close();
    const reply = await inFlight;
    expect(reply.status).toBe(200);
    expect(await reply.json()).toEqual({ done: true });
    await closed;
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(fetch(`${server.url}/fast`)).rejects.toThrow();
  });

  it('cuts the requests still running when the shutdown delay is over', async () => {
    const server = await startServer({ app: slowApp(10_000), port: 0, host: '127.0.0.1', logger, shutdownTimeoutMs: 200 });
    const inFlight = fetch(`${server.url}/slow`).then(() => 'answered', () => 'cut');
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await inFlight).toBe('cut');
  });
});

describe('the scope policy', () => {
  const admin: Caller = { keyId: 'k1', role: 'admin', regions: [], structureId: null };
  const bretagne: Caller = { keyId: 'k2', role: 'delegate', regions: ['53'], structureId: null };
  const own: Caller = { keyId: 'k3', role: 'structure', regions: [], structureId: 's-brest' };
  const brest = { id: 's-brest', region: '53' };
  const albi = { id: 's-albi', region: '76' };
  const national = { id: 'r', region: '11', scope: 'national' } as const;
  const row = <T>(who: string, caller: Caller, action: Action, what: string, record: T, expected: Access) =>
    ({ who, caller, action, what, record, expected });

  it.each([
    row('an admin', admin, 'archive', 'a structure of Albi', albi, 'allow'),
    row('a Bretagne delegate', bretagne, 'update', 'a structure of Brest', brest, 'allow'),
    row('a Bretagne delegate', bretagne, 'read', 'a structure of Albi', albi, 'forbidden'),
    row('the key of the Brest structure', own, 'read', 'its structure', brest, 'allow'),
    row('the key of the Brest structure', own, 'update', 'its structure', brest, 'allow'),
    row('the key of the Brest structure', own, 'archive', 'its structure', brest, 'forbidden'),
    row('the key of the Brest structure', own, 'create', 'its structure', brest, 'forbidden'),
    row('the key of the Brest structure', own, 'read', 'a structure of Albi', albi, 'hidden'),
    row('the key of the Brest structure', own, 'update', 'a structure of Albi', albi, 'hidden'),
  ])('$who asking to $action $what is $expected', ({ caller, action, record, expected }) => {
    expect(structureAccess(caller, action, record)).toBe(expected);
  });

  it.each([
    row('a Bretagne delegate', bretagne, 'read', 'a national resource', national, 'allow'),
    row('a Bretagne delegate', bretagne, 'update', 'a national resource', national, 'forbidden'),
    row('a Bretagne delegate', bretagne, 'update', 'a national resource located in Bretagne', { ...national, region: '53' }, 'forbidden'),
    row('a Bretagne delegate', bretagne, 'update', 'a Bretagne regional resource', { id: 'r', region: '53', scope: 'regional' }, 'allow'),
    row('a Bretagne delegate', bretagne, 'read', 'an Occitanie local resource', { id: 'r', region: '76', scope: 'local' }, 'forbidden'),
    row('the key of the Brest structure', own, 'read', 'an Occitanie local resource', { id: 'r', region: '76', scope: 'local' }, 'allow'),
    row('the key of the Brest structure', own, 'update', 'a Bretagne local resource', { id: 'r', region: '53', scope: 'local' }, 'forbidden'),
    row('an admin', admin, 'update', 'a national resource', national, 'allow'),
  ])('$who asking to $action $what is $expected', ({ caller, action, record, expected }) => {
    expect(resourceAccess(caller, action, record as ResourcePlace)).toBe(expected);
  });

  it('says a caller sees every resource exactly when it may read each one, of every scope, in and out of its régions', () => {
    const resources: ResourcePlace[] = SCOPES.flatMap((scope) => ['53', '76', '11'].map((region) => ({ id: `r-${scope}-${region}`, region, scope })));
    for (const role of ROLES) {
      const caller: Caller = { keyId: 'k', role, regions: role === 'delegate' ? ['53'] : [], structureId: role === 'structure' ? 's-brest' : null };
      expect(seesEveryResource(caller), role).toBe(resources.every((r) => canSeeResource(caller, r)));
    }
  });
});

describe('API keys', () => {
  it('are psk_ and 32 random bytes in base64url, stored as a sha-256', () => {
    const a = generateKey();
    expect(a).toMatch(/^psk_[A-Za-z0-9_-]{43}$/);
    expect(generateKey()).not.toBe(a);
    expect(hashKey(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashKey(a)).toBe(hashKey(a));
  });
});

describe('the token buckets', () => {
  it('allow a burst of the per-minute rate, then refill continuously', () => {
    const buckets = createTokenBuckets(60);
    const t0 = 1_000_000;
    for (let i = 0; i < 60; i++) expect(buckets.take('k', t0).allowed).toBe(true);
    const refused = buckets.take('k', t0);
    expect(refused).toEqual({ allowed: false, remaining: 0, retryAfterS: 1 });
    expect(buckets.take('k', t0 + 999).allowed).toBe(false);
    expect(buckets.take('k', t0 + 1000).allowed).toBe(true);
    expect(buckets.take('other', t0).allowed).toBe(true);
  });

  it('say how long to wait when the rate is low', () => {
    const buckets = createTokenBuckets(2);
    buckets.take('k', 0);
    buckets.take('k', 0);
    expect(buckets.take('k', 0).retryAfterS).toBe(30);
  });
});

describe('JSON Merge Patch', () => {
  it('replaces given fields, removes nulls, merges objects and keeps the rest', () => {
    expect(mergePatch({ a: 1, b: 2, c: { x: 1, y: 2 }, d: [1] }, { a: 3, b: null, c: { y: null, z: 3 }, d: [2] }))
      .toEqual({ a: 3, c: { x: 1, z: 3 }, d: [2] });
  });
});

describe('free-text folding', () => {
  it('ignores case and accents', () => {
    expect(fold('Précarité ÉCONOMIQUE à Brest')).toBe('precarite economique a brest');
  });
});
