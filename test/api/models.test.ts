/**
 * The admin routes of the model registry and the service following it: list, show, promote and
 * rollback for admins (403 for every other key), in the OpenAPI document; a model promoted in the
 * database is served by the running app within the poll interval, without a restart, and every
 * ranking served is counted by model version in /metrics and named on its log line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { OPERATOR } from '../../src/access/access.policy.ts';
import { DEFAULT_MODEL } from '../../src/matching/matching.models.ts';
import { readCommittedModel, watchModels, type ModelWatch } from '../../src/models/models.serving.ts';
import { createModels, type Models } from '../../src/models/models.usecases.ts';
import { storeKinds } from '../support/stores.ts';
import { AS_OF, startTestApi, type Role, type TestApi } from './support.ts';

const candidateFile = (version: string) => ({
  version, kind: 'linear' as const, bias: 0, description: 'essai : la distance d’abord',
  weights: { text: 0.5, need_text: 0.5, need_concept: 0.5, pillar: 0.5, geography: 3, capacity: 2 },
});

describe.each(storeKinds())('models over the API on %s', (kind) => {
  let api: TestApi;
  let models: Models;
  let watch: ModelWatch;
  const POLL_MS = 200;

  beforeAll(async () => {
    api = await startTestApi(kind);
    models = createModels({ store: api.store });
    await models.registerDefault(readCommittedModel(DEFAULT_MODEL)!);
    for (const version of ['essai-distance', 'essai-entrelace']) {
      await models.repository.insert({
        version, status: 'candidate', model: candidateFile(version), parent: DEFAULT_MODEL, metrics: null, reason: 'essai',
      }, { action: 'trained', actor: 'test' }, new Date());
    }
    watch = watchModels({ models, matching: api.matching, intervalMs: POLL_MS, interleavingShare: 0, logger: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    watch.stop();
    await api.close();
  });

  const admin = (method: string, path: string, json?: unknown) => api.call(method, path, { key: api.keys.admin, json });

  it('answers 403 to every key but an admin’s, on every route', async () => {
    for (const role of ['bretagne', 'occitanie', 'structureBzh', 'structureOcc'] as Role[]) {
      const key = api.keys[role];
      for (const [method, path] of [['GET', '/api/v1/models'], ['GET', `/api/v1/models/${DEFAULT_MODEL}`],
        ['POST', '/api/v1/models/essai-distance/promote'], ['POST', '/api/v1/models/rollback']]) {
        const reply = await api.call(method, path, { key });
        expect(reply.status, `${role} ${method} ${path}`).toBe(403);
        expect(reply.body.error.code).toBe('auth.forbidden');
      }
    }
    expect((await api.call('GET', '/api/v1/models')).status).toBe(401);
  });

  it('lists the versions and shows one with its history and online comparison; 404 for an unknown one', async () => {
    const list = await admin('GET', '/api/v1/models');
    expect(list.status).toBe(200);
    expect(list.body.items.map((v: { version: string; status: string }) => [v.version, v.status]).sort())
      .toEqual([[DEFAULT_MODEL, 'current'], ['essai-distance', 'candidate'], ['essai-entrelace', 'candidate']]);
    const shown = await admin('GET', `/api/v1/models/${DEFAULT_MODEL}`);
    expect(shown.status).toBe(200);
    expect(Object.keys(shown.body.weights)[0]).toBe('text');
    expect(shown.body.changes[0]).toMatchObject({ action: 'registered', to_status: 'current' });
    expect(shown.body.interleaving).toMatchObject({ served: 0, wins: 0, ties: 0, losses: 0, p_value: 1 });
    const missing = await admin('GET', '/api/v1/models/inconnu-v9');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('models.not_found');
  });

  it('puts the model routes in the OpenAPI document', async () => {
    const doc = (await api.call('GET', '/api/v1/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(
      ['/api/v1/models', '/api/v1/models/{version}', '/api/v1/models/{version}/promote', '/api/v1/models/rollback']));
    expect(doc.paths['/api/v1/models/rollback'].post.requestBody.required).toBe(false);
  });

  it('serves a model promoted in the database within the poll interval, without a restart, and counts rankings by model version', async () => {
    const path = `/api/v1/structures/dev-s06/matches?as_of=${AS_OF}`;
    const before = await api.call('GET', path, { key: api.keys.admin });
    expect(before.body.model_version).toBe(DEFAULT_MODEL);

    const promoted = await admin('POST', '/api/v1/models/essai-distance/promote', { reason: 'la distance compte plus' });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ version: 'essai-distance', status: 'current' });
    expect(promoted.body.reason).toMatch(/Motif : la distance compte plus$/);

    const started = Date.now();
    let version = before.body.model_version;
    while (version !== 'essai-distance' && Date.now() - started < 10 * POLL_MS) {
      await new Promise((r) => setTimeout(r, POLL_MS / 4));
      version = (await api.call('GET', path, { key: api.keys.admin })).body.model_version;
    }
    expect(version).toBe('essai-distance');
    expect(Date.now() - started).toBeLessThan(5 * POLL_MS);

    const metrics = (await api.call('GET', '/metrics')).text;
    expect(metrics).toMatch(new RegExp(`passerelles_rankings_served_total\\{model_version="${DEFAULT_MODEL}",interleaved_with=""\\} [1-9]`));
    expect(metrics).toMatch(/passerelles_rankings_served_total\{model_version="essai-distance",interleaved_with=""\} [1-9]/);
    const line = api.logs.map((l) => JSON.parse(l)).reverse().find((l) => l.req?.url?.startsWith('/api/v1/structures/dev-s06/matches'));
    expect(line?.modelVersion).toBe('essai-distance');
  });

  it('rolls back to the model current before, keeping the reason, and refuses to promote the current one', async () => {
    const again = await admin('POST', '/api/v1/models/essai-distance/promote');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('models.already_current');
    const back = await admin('POST', '/api/v1/models/rollback', { reason: 'retour au défaut' });
    expect(back.status).toBe(200);
    expect(back.body.current).toMatchObject({ version: DEFAULT_MODEL, status: 'current' });
    expect(back.body.retired).toMatchObject({ version: 'essai-distance', status: 'retired' });
    expect(back.body.current.reason).toMatch(/Motif : retour au défaut$/);
    await watch.check();
    expect(api.matching.model().version).toBe(DEFAULT_MODEL);
    const none = await admin('POST', '/api/v1/models/rollback');
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe('models.nothing_to_roll_back');
  });

  it('interleaves the newest candidate in the configured share of rankings, each item tagged with its team', async () => {
    const online = watchModels({ models, matching: api.matching, intervalMs: 60_000, interleavingShare: 1, logger: pino({ level: 'silent' }) });
    try {
      await online.check();
      expect(api.matching.comparison()?.model.version).toBe('essai-entrelace');
      const list = api.matching.forStructure('dev-s06', { as_of: AS_OF, limit: 10 }, OPERATOR);
      expect(list.modelVersion).toBe(DEFAULT_MODEL);
      expect(list.interleavedWith).toBe('essai-entrelace');
      expect(list.results.every((r) => r.team === 'current' || r.team === 'candidate')).toBe(true);
      await api.call('GET', `/api/v1/structures/dev-s06/matches?as_of=${AS_OF}`, { key: api.keys.admin });
      expect((await api.call('GET', '/metrics')).text)
        .toMatch(new RegExp(`passerelles_rankings_served_total\\{model_version="${DEFAULT_MODEL}",interleaved_with="essai-entrelace"\\} 1`));
      // A request naming its model is never interleaved.
      expect(api.matching.forStructure('dev-s06', { as_of: AS_OF }, OPERATOR, api.matching.model()).interleavedWith).toBeUndefined();
    } finally {
      online.stop();
      api.matching.compareOnline(undefined, 0);
    }
  });
});
