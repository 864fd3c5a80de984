/**
 * Matches over HTTP, in both directions and for an unsaved record, with the real engine over the
 * dev set (reference date 2026-12-01): parameters, explanations and errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRankingPool } from '../../src/feedback/serving.pool.ts';
import { storeKinds } from '../support/stores.ts';
import { AS_OF, newResource, newStructure, startTestApi, type TestApi } from './support.ts';

describe.each(storeKinds())('matches over HTTP on %s', (kind) => {
  let api: TestApi;
  let admin: string;
  beforeAll(async () => {
    api = await startTestApi(kind);
    admin = api.keys.admin;
  });
  afterAll(() => api?.close());

  const get = (path: string) => api.call('GET', path, { key: admin });

  it('ranks resources for a structure, best first, ranks 1..n, with features and the model version', async () => {
    const reply = await get(`/api/v1/structures/dev-s05/matches?as_of=${AS_OF}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ query: { kind: 'structure', id: 'dev-s05' }, as_of: AS_OF, model_version: expect.any(String) });
    const results = reply.body.results as { rank: number; score: number; kind: string; features: Record<string, number>; excluded: boolean }[];
    expect(results.length).toBeGreaterThan(0);
    expect(results.map((r) => r.rank)).toEqual(results.map((_, i) => i + 1));
    expect(results.map((r) => r.score)).toEqual([...results.map((r) => r.score)].sort((a, b) => b - a));
    for (const r of results) {
      expect(r.kind).toBe('resource');
      expect(r.excluded).toBe(false);
      for (const v of Object.values(r.features)) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
    expect(results[0]).not.toHaveProperty('explanation');
  });

  it('sends a match list without an ETag (each list has its own ranking_id: no client could reuse one), whole, as JSON', async () => {
    for (const path of [`/api/v1/structures/dev-s05/matches?explain=true&as_of=${AS_OF}`, `/api/v1/resources/dev-r60/matches?as_of=${AS_OF}`]) {
      const reply = await get(path);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('etag')).toBeNull();
      expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(Number(reply.headers.get('content-length'))).toBe(Buffer.byteLength(reply.text));
      expect(reply.headers.get('transfer-encoding')).toBeNull();
      // HEAD: no body, the length of the GET's (a ranking id is as long as any other)
      const head = await api.call('HEAD', path, { key: admin });
      expect(head.status).toBe(200);
      expect(head.text).toBe('');
      expect(Number(head.headers.get('content-length'))).toBe(Buffer.byteLength(reply.text));
    }
    expect((await get('/api/v1/structures/dev-s05')).headers.get('etag')).not.toBeNull(); // a record keeps its ETag
  });

  it('puts the planted answer of the dev set in the top 5 for a structure and for a resource', async () => {
    const forStructure = await get(`/api/v1/structures/dev-s08/matches?limit=5&as_of=${AS_OF}`);
    expect(forStructure.body.results.map((r: { id: string }) => r.id)).toContain('dev-r60');
    const forResource = await get(`/api/v1/resources/dev-r60/matches?limit=5&as_of=${AS_OF}`);
    expect(forResource.body.results.map((r: { id: string }) => r.id)).toContain('dev-s08');
    expect(forResource.body.query).toEqual({ kind: 'resource', id: 'dev-r60' });
  });

  it('honours limit and pillar', async () => {
    const reply = await get(`/api/v1/structures/dev-s06/matches?limit=2&pillar=banking&as_of=${AS_OF}`);
    expect(reply.body.results.length).toBeLessThanOrEqual(2);
    for (const r of reply.body.results as { id: string }[]) expect(api.matching.index.getResource(r.id)!.pillar).toBe('banking');
  });

  it('takes the reference date into account: an offer whose window has ended is not proposed', async () => {
    const before = await get('/api/v1/structures/dev-s05/matches?limit=200&as_of=2026-03-01');
    const after = await get(`/api/v1/structures/dev-s05/matches?limit=200&as_of=${AS_OF}`);
    expect(before.body.results.map((r: { id: string }) => r.id)).toContain('dev-r44');
    expect(after.body.results.map((r: { id: string }) => r.id)).not.toContain('dev-r44');
  });

  it('explains each result on demand, in snake_case, with French reasons', async () => {
    const reply = await get(`/api/v1/structures/dev-s08/matches?limit=3&explain=true&as_of=${AS_OF}`);
    const [best] = reply.body.results;
    expect(best.explanation).toMatchObject({
      features: expect.any(Array), matched_words: expect.any(Array), distance_km: expect.any(Number),
      reasons: expect.any(Array), exclusions: [],
    });
    expect(best.explanation.features[0]).toEqual(expect.objectContaining({ name: expect.any(String), label: expect.any(String), contribution: expect.any(Number) }));
  });

  it('refuses bad parameters, listing each with its path', async () => {
    const reply = await get('/api/v1/structures/dev-s08/matches?limit=0&as_of=2026-02-30&pillar=cafe&explain=peut-etre&sort=score');
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('request.invalid');
    expect(reply.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['as_of', 'explain', 'limit', 'pillar', 'sort']);
    const asOf = reply.body.error.details.find((d: { path: string }) => d.path === 'as_of');
    expect(asOf.message).toContain('AAAA-MM-JJ');
    expect((await get('/api/v1/resources/dev-r60/matches?limit=201')).status).toBe(400);
  });

  it('answers 404 with a matches code for an unknown structure or resource', async () => {
    const s = await get('/api/v1/structures/nope/matches');
    expect(s.status).toBe(404);
    expect(s.body.error.code).toBe('matches.structure_not_found');
    const r = await get('/api/v1/resources/nope/matches');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('matches.resource_not_found');
    // the same words as the command line and the record routes
    expect(r.body.error.message).toBe('Ressource « nope » introuvable.');
    expect((await get('/api/v1/resources/nope')).body.error.message).toBe('Ressource « nope » introuvable.');
  });

  it('previews the matches of an unsaved structure without saving it', async () => {
    const { id: _id, ...withoutId } = newStructure('x');
    const reply = await api.call('POST', `/api/v1/matches/preview?limit=5&explain=true&as_of=${AS_OF}`, { key: admin, json: { structure: withoutId } });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.query).toEqual({ kind: 'structure', id: 'apercu' });
    expect(reply.body.results.map((r: { id: string }) => r.id)).toContain('dev-r62');
    expect(reply.body.results[0].explanation.reasons.length).toBeGreaterThan(0);
    expect(api.matching.index.getStructure('apercu')).toBeUndefined();
    expect((await get('/api/v1/structures/apercu')).status).toBe(404);
  });

  it('previews the matches of an unsaved resource', async () => {
    const reply = await api.call('POST', `/api/v1/matches/preview?as_of=${AS_OF}`, {
      key: admin, json: { resource: newResource('essai', { postal_code: '29000', radius_km: 60, pillar: 'purchasing', title: 'Entretien du linge professionnel', description: 'Blanchisserie des tenues de travail des agents du Finistère, marché réservé.', eligible_legal_forms: ['esat', 'ea'] }) },
    });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.results.map((r: { id: string }) => r.id)).toContain('dev-s08');
  });

  it('refuses an invalid preview with paths from the root of the body', async () => {
    const reply = await api.call('POST', '/api/v1/matches/preview', { key: admin, json: { structure: { ...newStructure('x'), legal_form: 'sarl', postal_code: '99999' } } });
    expect(reply.status).toBe(400);
    expect(reply.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['structure.legal_form', 'structure.postal_code']);
    const neither = await api.call('POST', '/api/v1/matches/preview', { key: admin, json: { structure: newStructure('a'), resource: newResource('b') } });
    expect(neither.status).toBe(400);
    const empty = await api.call('POST', '/api/v1/matches/preview', { key: admin });
    expect(empty.status).toBe(400);
  });

  it('answers the same lists when a ranking thread ranks them, and ranks a record created through the API at once', async () => {
    const pool = startRankingPool({ threads: 1, matching: api.matching });
    const pooled = await api.startAnother({}, { pool });
    try {
      for (let t = Date.now(); pool.ready() === 0; await new Promise((r) => setTimeout(r, 20))) {
        if (Date.now() - t > 30_000) throw new Error('ranking thread not ready');
      }
      const withoutId = (text: string) => text.replace(/"ranking_id":"[^"]*"/, '');
      const asked = [
        ['GET', `/api/v1/structures/dev-s05/matches?explain=true&include_excluded=true&as_of=${AS_OF}`, undefined, admin],
        ['GET', `/api/v1/resources/dev-r60/matches?explain=true&as_of=${AS_OF}`, undefined, api.keys.bretagne],
        ['GET', `/api/v1/resources/dev-r60/matches?explain=false&as_of=${AS_OF}`, undefined, api.keys.structureBzh],
        ['POST', `/api/v1/matches/preview?limit=5&explain=true&as_of=${AS_OF}`, { structure: newStructure('x') }, admin],
      ] as const;
      for (const [method, path, json, key] of asked) {
        const there = await pooled.call(method, path, { key, json });
        const here = await api.call(method, path, { key, json });
        expect(there.status, there.text).toBe(200);
        expect(withoutId(there.text)).toBe(withoutId(here.text));
        // Answered through the thread: the whole body, its length measured in bytes (« ’ » and « ≈ » take three).
        expect(Number(there.headers.get('content-length'))).toBe(Buffer.byteLength(there.text));
        expect(there.headers.get('transfer-encoding')).toBeNull();
      }
      const head = await pooled.call('HEAD', asked[0][1], { key: admin });
      expect([head.status, head.text, Number(head.headers.get('content-length')) > 0]).toEqual([200, '', true]);
      expect([pool.answered(), pool.waiting()]).toEqual([asked.length + 1, 0]);
      const created = await pooled.call('POST', '/api/v1/structures', { key: admin, json: newStructure('fil-1') });
      expect(created.status, created.text).toBe(201);
      const matches = await pooled.call('GET', `/api/v1/structures/fil-1/matches?explain=true&as_of=${AS_OF}`, { key: admin });
      expect(matches.status, matches.text).toBe(200);
      expect(pool.answered()).toBe(asked.length + 2);
      const metrics = await (await fetch(`${pooled.url}/metrics`)).text();
      expect(metrics).toContain('passerelles_ranking_threads{state="ready"} 1');
      expect(metrics).toContain(`passerelles_ranking_threads_answered_total ${asked.length + 2}`);
      expect(withoutId(matches.text)).toBe(withoutId((await api.call('GET', `/api/v1/structures/fil-1/matches?explain=true&as_of=${AS_OF}`, { key: admin })).text));
    } finally {
      await pooled.close();
      await pool.close();
    }
  });

  it('counts the matches served in the metrics', async () => {
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/passerelles_match_lists_served_total\{direction="structure"\} [1-9]/);
    expect(metrics).toMatch(/passerelles_match_lists_served_total\{direction="preview"\} [1-9]/);
    expect(metrics).toMatch(/passerelles_match_results_served_total\{direction="resource"\} [1-9]/);
  });
});
