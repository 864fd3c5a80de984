/**
 * The registry of model versions over a real store (PGlite, and PostgreSQL when TEST_DATABASE_URL
 * is set): cold start, promotion and rollback with their reasons, admin only, and the online
 * comparison of a candidate read from rankings.teams and the feedback events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR, type Caller } from '../../src/access/access.policy.ts';
import type { Store } from '../../src/db/open.ts';
import type { FeedbackEvent, LoggedRanking } from '../../src/learning/events.ts';
import { DEFAULT_MODEL } from '../../src/matching/matching.models.ts';
import type { ModelFile } from '../../src/models/models.repository.ts';
import { readCommittedModel } from '../../src/models/models.serving.ts';
import { createModels, type Models } from '../../src/models/models.usecases.ts';
import { writeLogs } from '../support/logs.ts';
import { openTestStore, storeKinds } from '../support/stores.ts';

const delegate: Caller = { keyId: 'key_bzh', role: 'delegate', regions: ['53'], structureId: null };
const fakeFile = (version: string, geography: number): ModelFile => ({
  version, kind: 'linear', bias: 0, weights: { text: 1, geography }, description: `essai ${version}`,
});
const files: Record<string, ModelFile> = { 'essai-a': fakeFile('essai-a', 2), 'essai-b': fakeFile('essai-b', 3), 'essai-c': fakeFile('essai-c', 4) };

describe.each(storeKinds())('model registry on %s', (kind) => {
  let store: Store;
  let models: Models;
  beforeAll(async () => {
    store = await openTestStore(kind);
    models = createModels({ store, readModelFile: (v) => files[v] ?? readCommittedModel(v) });
  });
  afterAll(() => store.close());

  it('registers the committed default as current at cold start, once, even when two processes start together', async () => {
    const file = readCommittedModel(DEFAULT_MODEL)!;
    const [first, second] = await Promise.all([models.registerDefault(file), models.registerDefault(file)]);
    expect([first.registered, second.registered].filter(Boolean).length).toBeLessThanOrEqual(1);
    expect((await models.registerDefault(file)).registered).toBe(false);
    const list = await models.list(OPERATOR);
    expect(list.map((v) => [v.version, v.status])).toEqual([[DEFAULT_MODEL, 'current']]);
    expect(list[0].reason).toMatch(/démarrage à froid/);
    const changes = await models.repository.changes(DEFAULT_MODEL);
    expect(changes.map((c) => [c.action, c.toStatus])).toEqual([['registered', 'current']]);
  });

  it('refuses every operation to a key that is not an admin', async () => {
    await expect(models.list(delegate)).rejects.toMatchObject({ code: 'auth.forbidden', status: 403 });
    await expect(models.show(delegate, DEFAULT_MODEL)).rejects.toMatchObject({ status: 403 });
    await expect(models.promote(delegate, 'essai-a')).rejects.toMatchObject({ status: 403 });
    await expect(models.rollback(delegate)).rejects.toMatchObject({ status: 403 });
  });

  it('has nothing to roll back to before any promotion, and answers 404 for an unknown version', async () => {
    await expect(models.rollback(OPERATOR)).rejects.toMatchObject({ code: 'models.nothing_to_roll_back', status: 409 });
    await expect(models.promote(OPERATOR, 'inconnu-v9')).rejects.toMatchObject({ code: 'models.not_found', status: 404 });
    await expect(models.show(OPERATOR, 'inconnu-v9')).rejects.toMatchObject({ code: 'models.not_found', status: 404 });
    await expect(models.promote(OPERATOR, DEFAULT_MODEL)).rejects.toMatchObject({ code: 'models.already_current', status: 409 });
  });

  it('promotes by hand with the reason kept on both versions, and rolls back one step at a time', async () => {
    const a = await models.promote(OPERATOR, 'essai-a', 'essai de la distance');
    expect(a.status).toBe('current');
    expect(a.reason).toBe('Promu à la main par operateur. Motif : essai de la distance');
    const old = await models.repository.get(DEFAULT_MODEL);
    expect(old?.status).toBe('retired');
    expect(old?.reason).toMatch(/^Remplacé par essai-a\. Promu à la main/);
    await models.promote(OPERATOR, 'essai-b');
    expect((await models.current()).version).toBe('essai-b');

    const back = await models.rollback(OPERATOR, 'plaintes des délégués');
    expect([back.from.version, back.to.version]).toEqual(['essai-b', 'essai-a']);
    expect(back.from.status).toBe('retired');
    expect(back.to.reason).toBe('Retour arrière demandé par operateur : essai-b → essai-a. Motif : plaintes des délégués');
    const again = await models.rollback(OPERATOR);
    expect(again.to.version).toBe(DEFAULT_MODEL);
    await expect(models.rollback(OPERATOR)).rejects.toMatchObject({ code: 'models.nothing_to_roll_back' });

    const history = await models.repository.changes();
    expect(history.every((c) => c.reason.length > 0 && c.actor.length > 0)).toBe(true);
    expect(history.filter((c) => c.version === 'essai-b').map((c) => [c.action, c.fromStatus, c.toStatus])).toEqual([
      ['registered', null, 'candidate'], ['promoted', 'candidate', 'current'], ['rolled_back', 'current', 'retired'],
    ]);
  });

  it('reports the online comparison of a candidate: wins, ties, losses and a p-value from the teams of the acted-on items', async () => {
    await models.promote(OPERATOR, 'essai-c');
    await models.promote(OPERATOR, DEFAULT_MODEL, 'essai-c reste à comparer en ligne');
    const rankings: LoggedRanking[] = [], events: FeedbackEvent[] = [];
    const interleaved = new Map<string, { candidate: string; teams: ('current' | 'candidate')[] }>();
    for (let r = 0; r < 40; r++) {
      const items = Array.from({ length: 4 }, (_, i) => ({ id: `il${r}-${i}`, position: i + 1, features: new Float64Array(12), score: 0 }));
      rankings.push({ id: `il${r}`, requester: `q${r}`, at: r, items, swap: null });
      interleaved.set(`il${r}`, { candidate: 'essai-c', teams: ['candidate', 'current', 'current', 'candidate'] });
      // 24 rankings won by the candidate, 6 lost, 4 tied (one item of each), 6 without events.
      const acted = r < 24 ? [0] : r < 30 ? [1] : r < 34 ? [0, 1] : [];
      for (const i of acted) events.push({ rankingId: `il${r}`, itemId: `il${r}-${i}`, kind: 'contacted', at: r });
      if (r < 30) events.push({ rankingId: `il${r}`, itemId: `il${r}-2`, kind: 'not_interested', at: r });
    }
    await writeLogs(store, rankings, events, { base: new Date('2026-12-01T00:00:00Z'), interleaved });
    const shown = await models.show(OPERATOR, 'essai-c');
    expect(shown.interleaving).toMatchObject({ served: 40, judged: 34, wins: 24, losses: 6, ties: 4 });
    expect(shown.interleaving.share).toBeCloseTo(0.8);
    expect(shown.interleaving.pValue).toBeLessThan(0.01);
    expect(shown.changes.map((c) => c.action)).toEqual(['registered', 'promoted', 'retired']);
  });
});
