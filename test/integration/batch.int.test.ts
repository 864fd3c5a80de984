/**
 * The nightly run over the dev set (40 structures, 80 resources), on each database: what it
 * stores, that it ranks exactly as scoring every pair does (its search is not the online path's
 * candidates, which may miss a pair), that it is reproducible, that it keeps the
 * last runs only, and its reports as the API serves them to each role.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchRepository } from '../../src/batch/batch.repository.ts';
import { previousTopKs, runRequest, type BatchOutcome } from '../../src/batch/batch.run.ts';
import { excludes, pairContext, scorePair } from '../../src/engine/score.ts';
import { FEATURE_NAMES } from '../../src/features/index.ts';
import { cosine } from '../../src/retrieval/documents.ts';
import { OPERATOR } from '../../src/access/access.policy.ts';
import { createRecords } from '../../src/records/records.usecases.ts';
import { startTestApi, type Call, type TestApi } from '../api/support.ts';
import { resultsOf, runBatchOn } from '../support/batch.ts';
import { storeKinds } from '../support/stores.ts';

describe.each(storeKinds())('the nightly run on %s', (kind) => {
  let api: TestApi;
  let reportsDir: string;
  let first: BatchOutcome;
  let second: BatchOutcome;
  let third: BatchOutcome;
  let call: Call;
  let firstResults: string[];
  let engineLines: string[];
  let url: string;

  beforeAll(async () => {
    api = await startTestApi(kind);
    reportsDir = mkdtempSync(join(tmpdir(), 'passerelles-reports-'));
    first = await runBatchOn(api.store, { reportsDir });
    firstResults = await resultsOf(api.store, first.run.id);
    second = await runBatchOn(api.store, { reportsDir, keepRuns: 2 });
    // The reference: every pair of the query scored with the run's model and date, excluded ones dropped, best 10, ties by id.
    const request = runRequest(first.run);
    const { index } = api.matching;
    const features = new Float64Array(FEATURE_NAMES.length);
    engineLines = firstResults.map((line) => {
      const [what, id, region] = line.split(' ');
      const pairs = what === 'structure'
        ? index.resources.live().map((r) => [index.structures.get(id)!, r, r.entity.id] as const)
        : index.structures.live().map((s) => [s, index.resources.get(id)!, s.entity.id] as const);
      const scored = pairs.flatMap(([s, r, other]) => {
        const pair = pairContext(s, r, request.asOfDay, cosine(s.vector, r.vector));
        return excludes(s, r, pair) ? [] : [{ other, score: scorePair(s, r, pair, request.model, features) }];
      }).sort((a, b) => b.score - a.score || (a.other < b.other ? -1 : 1)).slice(0, 10);
      return `${what} ${id} ${region} ${scored.map((x) => `${x.other}:${Math.round(x.score * 1e4) / 1e4}`).join(' ')}`;
    });
    // dev-r01 archived before the third run: its pairs must disappear with the reason « fiche archivée ».
    await createRecords({ store: api.store, geography: api.geography, index: api.matching.index }).archive(OPERATOR, 'resource', 'dev-r01');
    third = await runBatchOn(api.store, { reportsDir, keepRuns: 2 });
    ({ call, url } = await api.startAnother({ PASSERELLES_REPORTS_DIR: reportsDir }));
  });
  afterAll(async () => {
    await api?.close();
    rmSync(reportsDir, { recursive: true, force: true });
  });

  it('ranks every active structure and resource, shard by shard, and stores its summary', async () => {
    expect(firstResults).toHaveLength(120);
    expect(first.summary).toMatchObject({ queries: 120, workers: 1 });
    // 40 structures and 80 resources in shards of at most 7 per région and direction.
    const shards = await createBatchRepository(api.store).shards(second.run.id);
    expect(shards.every((s) => s.status === 'done' && s.size <= 7)).toBe(true);
    expect(shards.reduce((n, s) => n + s.size, 0)).toBe(120);
    expect(Object.values(first.summary.resultsByRegion).reduce((a, b) => a + b, 0)).toBe(120);
    expect(first.summary.pairsScored).toBeGreaterThan(1000);
  });

  it('stores for each query the top 10 of scoring every pair, scores included, ties broken by id', () => {
    expect(firstResults).toEqual(engineLines);
  });

  it('gives identical results twice over unchanged data, the second run seeded with the first one\'s top-10s and scoring fewer pairs', async () => {
    expect(await resultsOf(api.store, second.run.id)).toEqual(firstResults);
    expect(second.summary.pairsScored).toBeLessThan(first.summary.pairsScored);
  });

  it('seeds a run with the top-10s of the last run finished before it, for the queries asked only', async () => {
    expect(await previousTopKs(api.store, first.run.id)).toBeUndefined();
    const seeds = (await previousTopKs(api.store, third.run.id))!;
    const stored = await createBatchRepository(api.store).results(second.run.id, 'structure');
    const asked = [stored[0].queryId, stored[2].queryId, 'dev-s-inconnue'];
    expect(await seeds('structure', asked)).toEqual(new Map([[stored[0].queryId, stored[0].candidates], [stored[2].queryId, stored[2].candidates]]));
    expect(await seeds('resource', [stored[0].queryId])).toEqual(new Map());
  });

  it('keeps the results of the last runs only', async () => {
    const runs = await api.store.rows<{ id: number }>(sql`select id from batch_runs order by id`);
    expect(runs.map((r) => Number(r.id))).toEqual([second.run.id, third.run.id]);
    const [{ n }] = await api.store.rows<{ n: number }>(sql`select count(*) as n from batch_results where run_id = ${first.run.id}`);
    expect(Number(n)).toBe(0);
  });

  it('reports the pairs of an archived resource as gone because the record was archived', () => {
    const national = JSON.parse(readFileSync(join(reportsDir, String(third.run.id), 'national.json'), 'utf8'));
    // Hand-count: the distinct structures paired with dev-r01 in the second run, from either side.
    const partners = new Set<string>();
    for (const line of firstResults) {
      const [what, id, , ...pairs] = line.split(' ');
      if (what === 'resource' && id === 'dev-r01') pairs.forEach((p) => partners.add(p.split(':')[0]));
      if (what === 'structure' && pairs.some((p) => p.startsWith('dev-r01:'))) partners.add(id);
    }
    expect(partners.size).toBeGreaterThan(0);
    const gone = national.gone.filter((g: { resourceId: string }) => g.resourceId === 'dev-r01');
    expect(gone.map((g: { structureId: string }) => g.structureId).sort()).toEqual([...partners].sort());
    expect(new Set(gone.map((g: { reason: string }) => g.reason))).toEqual(new Set(['archived']));
    expect(national.previous.id).toBe(second.run.id);
    expect(national.totals.structures).toBe(40);
    expect(national.totals.resources).toBe(79);
  });

  it('lists for a delegate the reports of its région only, and all of them for an admin', async () => {
    const mine = await call('GET', '/api/v1/reports', { key: api.keys.bretagne });
    expect(mine.status).toBe(200);
    expect(new Set(mine.body.items.map((i: { scope: string }) => i.scope))).toEqual(new Set(['53']));
    const all = await call('GET', '/api/v1/reports', { key: api.keys.admin });
    const scopes = all.body.items.filter((i: { run: number }) => i.run === third.run.id).map((i: { scope: string }) => i.scope);
    expect(scopes).toContain('national');
    expect(scopes).toContain('76');
    expect(all.body.items[0].formats.csv).toBe(`/api/v1/reports/${third.run.id}/${all.body.items[0].scope}.csv`);
  });

  it('refuses a delegate of one région another région’s report, and the national one', async () => {
    for (const scope of ['76', 'national']) {
      const refused = await call('GET', `/api/v1/reports/${third.run.id}/${scope}.html`, { key: api.keys.bretagne });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('reports.forbidden');
    }
    expect((await call('GET', '/api/v1/reports', { key: api.keys.structureBzh })).status).toBe(403);
  });

  it('serves a delegate its région’s report in HTML, CSV and JSON', async () => {
    const html = await call('GET', `/api/v1/reports/${third.run.id}/53.html`, { key: api.keys.bretagne });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.text).toContain('Passerelles — Bretagne');
    const csv = await call('GET', `/api/v1/reports/${third.run.id}/53.csv`, { key: api.keys.bretagne });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await (await fetch(`${url}/api/v1/reports/${third.run.id}/53.csv`, { headers: { authorization: `Bearer ${api.keys.bretagne}` } })).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.text.split('\r\n')[0]).toBe('rubrique;structure_id;structure;departement;ressource_id;ressource;pilier;score;motif');
    const json = await call('GET', `/api/v1/reports/${third.run.id}/53.json`, { key: api.keys.admin });
    expect(json.body).toMatchObject({ scope: '53', run: { id: third.run.id } });
    expect((await call('GET', `/api/v1/reports/999999/53.json`, { key: api.keys.admin })).status).toBe(404);
    expect((await call('GET', `/api/v1/reports/${third.run.id}/..%2Fx.json`, { key: api.keys.admin })).status).toBe(400);
  });

  it('documents the report routes in OpenAPI and exports the last run’s summary in /metrics', async () => {
    const doc = await call('GET', '/api/v1/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/v1/reports', '/api/v1/reports/{run}/{region}.{format}']));
    const metrics = await call('GET', '/metrics');
    expect(metrics.text).toContain(`passerelles_batch_last_run_id ${third.run.id}`);
    expect(metrics.text).toMatch(/passerelles_batch_last_run_results\{region="53"\} \d+/);
  });
});
