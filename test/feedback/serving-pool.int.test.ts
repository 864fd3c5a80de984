/**
 * Ranking threads of the service (src/feedback/serving.pool.ts) over the dev set: a list ranked in
 * a thread is the list ranked in the service's thread, byte for byte in the API's JSON, with the
 * caller's scope and the requester's feedback; a change of the index or of the model is the
 * thread's too, for the next request; errors keep their code; a thread that stops loses nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR, type Caller } from '../../src/access/access.policy.ts';
import { toMatchBody, matchBodyJson } from '../../src/api/matches.routes.ts';
import type { Resource } from '../../src/domain/types.ts';
import { isPasserellesError } from '../../src/domain/errors.ts';
import { Index } from '../../src/engine/index.ts';
import { createFeedbackEffects, type FeedbackEffects } from '../../src/feedback/effects.ts';
import { createRankingLog } from '../../src/feedback/ranking-log.ts';
import { rankingThreadCount, startRankingPool, type RankingPool } from '../../src/feedback/serving.pool.ts';
import {
  createPooledServing, createServing, withExplanationsWritten, type PooledServing, type ServedList, type Serving,
} from '../../src/feedback/serving.ts';
import { loadGeography } from '../../src/geo/geography.ts';
import { loadMatchingFiles } from '../../src/matching/matching.models.ts';
import { createMatching, type Matching } from '../../src/matching/matching.usecases.ts';
import { devSet } from '../support/golden.ts';

const AS_OF = '2026-12-01';
const explained = { as_of: AS_OF, limit: 10, explain: 'true' };
const delegate: Caller = { keyId: 'key_bzh', role: 'delegate', regions: ['53'], structureId: null };
const structureKey: Caller = { keyId: 'key_s06', role: 'structure', regions: [], structureId: 'dev-s06' };

/** The API's JSON of a list, its ranking id left out (each ranking has its own). */
const bodyOf = (list: ServedList) => JSON.parse(matchBodyJson(list).replace(/"ranking_id":"[^"]*"/, '"ranking_id":null')) as unknown;

async function until(check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('ranking threads of the service', () => {
  let here: Matching, pooled: Matching;
  let pool: RankingPool;
  let effects: FeedbackEffects;
  let inProcess: Serving, inThreads: PooledServing;

  beforeAll(async () => {
    const { thesaurus, model } = loadMatchingFiles();
    const data = devSet(loadGeography());
    // Two indexes of the same records: one ranked here, one replicated into the thread.
    here = createMatching({ index: Index.build(thesaurus, data), model });
    pooled = createMatching({ index: Index.build(thesaurus, data), model });
    pool = startRankingPool({ threads: 1, matching: pooled });
    effects = createFeedbackEffects({ enabled: true, maxDelegatesPerWeek: 1, now: () => new Date(`${AS_OF}T12:00:00Z`) });
    const log = createRankingLog({ write: async () => {} });
    const common = { effects, log, swapShare: 0, source: 'test', rng: { next: () => 0.5 } };
    inProcess = createServing({ matching: here, ...common });
    inThreads = createPooledServing({ matching: pooled, ranker: pool, ...common });
    await until(() => pool.ready() === 1);
  }, 60_000);
  afterAll(async () => { await pool?.close(); });

  it('ranks in the thread once it is loaded, and the list is the one ranked here, in the API’s JSON', async () => {
    const asked = inThreads.forStructure('dev-s06', explained, OPERATOR);
    expect(asked).toBeInstanceOf(Promise);
    const list = await asked;
    expect(list.results.length).toBeGreaterThan(0);
    expect(list.results.every((r) => r.explanation === undefined && typeof r.explanationJson === 'string')).toBe(true);
    expect(bodyOf(list)).toEqual(bodyOf(inProcess.forStructure('dev-s06', explained, OPERATOR)));
    const resource = await inThreads.forResource('dev-r02', explained, delegate);
    expect(bodyOf(resource)).toEqual(bodyOf(inProcess.forResource('dev-r02', explained, delegate)));
  });

  it('writes the same JSON for an explanation written in a thread as for one written here', () => {
    const list = inProcess.forStructure('dev-s03', explained, OPERATOR);
    const plain = JSON.stringify(toMatchBody(list));
    // As a ranking thread hands it over: every explanation already written as JSON.
    withExplanationsWritten({ list, hidden: [] });
    expect(list.results.every((r) => r.explanation === undefined && r.explanationJson !== undefined)).toBe(true);
    expect(matchBodyJson(list)).toBe(plain);
  });

  it('applies the caller’s scope and the requester’s feedback in the thread as here', async () => {
    effects.addEvent({ requester: 'key_bzh', kind: 'not_interested', structureId: 'dev-s06', resourceId: 'dev-r66' });
    const query = { ...explained, include_excluded: 'true' };
    const there = await inThreads.forStructure('dev-s06', query, delegate);
    const mine = inProcess.forStructure('dev-s06', query, delegate);
    expect(bodyOf(there)).toEqual(bodyOf(mine));
    expect([there.excludedByFeedback, there.results.find((r) => r.id === 'dev-r66')?.hiddenByFeedback]).toEqual([1, 'not_interested']);
    expect(bodyOf(await inThreads.forResource('dev-r02', explained, structureKey))).toEqual(bodyOf(inProcess.forResource('dev-r02', explained, structureKey)));
    const preview = here.index.getStructure('dev-s06')!;
    expect(bodyOf(await inThreads.preview('structure', preview, explained, delegate))).toEqual(bodyOf(inProcess.preview('structure', preview, explained, delegate)));
  });

  it('hides what the weekly cap hides, listed for the thread as asked here', () => {
    const capped = createFeedbackEffects({ enabled: true, maxDelegatesPerWeek: 1, now: () => new Date(`${AS_OF}T12:00:00Z`) });
    capped.noteShown('key_other', ['dev-s01', 'dev-s02'], new Date(`${AS_OF}T08:00:00Z`));
    capped.noteShown('key_bzh', ['dev-s02'], new Date(`${AS_OF}T08:00:00Z`));
    capped.addEvent({ requester: 'key_bzh', kind: 'not_interested', structureId: 'dev-s05', resourceId: 'dev-r02' });
    const query = { kind: 'resource' as const, id: 'dev-r02' };
    const listed = new Map(capped.hiddenList({ requester: 'key_bzh', role: 'delegate' }, query));
    const asked = capped.hiddenReasons({ requester: 'key_bzh', role: 'delegate' }, query)!;
    for (const id of ['dev-s01', 'dev-s02', 'dev-s03', 'dev-s05']) expect(listed.get(id)).toBe(asked(id));
    expect([...listed.keys()].sort()).toEqual(['dev-s01', 'dev-s05']);
  });

  it('answers an unknown record and a forbidden one with the error’s code and status', async () => {
    const failure = await Promise.resolve(inThreads.forStructure('dev-nope', explained, delegate)).catch((e: unknown) => e);
    expect(isPasserellesError(failure) && [failure.code, failure.status]).toEqual(['matches.structure_not_found', 404]);
    const north: Caller = { keyId: 'key_hdf', role: 'delegate', regions: ['32'], structureId: null };
    const forbidden = await Promise.resolve(inThreads.forStructure('dev-s06', explained, north)).catch((e: unknown) => e);
    const expected = (() => { try { inProcess.forStructure('dev-s06', explained, north); } catch (e) { return e; } })();
    expect(isPasserellesError(forbidden) && [forbidden.code, forbidden.status, forbidden.message])
      .toEqual(isPasserellesError(expected) && [expected.code, expected.status, expected.message]);
  });

  it('ranks a record changed in the service’s index at the thread’s next request, and forgets one removed', async () => {
    const base = pooled.index.getResource('dev-r02')!;
    const added: Resource = { ...base, id: 'dev-r99', title: `${base.title} (copie)` };
    pooled.index.upsertResource(added);
    here.index.upsertResource(added);
    const after = await inThreads.forStructure('dev-s06', { as_of: AS_OF, limit: 50 }, OPERATOR);
    expect(after.results.map((r) => [r.id, r.score])).toEqual(inProcess.forStructure('dev-s06', { as_of: AS_OF, limit: 50 }, OPERATOR).results.map((r) => [r.id, r.score]));
    expect(after.results.some((r) => r.id === 'dev-r99')).toBe(true);
    pooled.index.remove('resource', 'dev-r99');
    here.index.remove('resource', 'dev-r99');
    const removed = await Promise.resolve(inThreads.forResource('dev-r99', explained, OPERATOR)).catch((e: unknown) => e);
    expect(isPasserellesError(removed) && removed.code).toBe('matches.resource_not_found');
  });

  it('scores with the model of the moment', async () => {
    const model = pooled.model();
    const heavier = { ...model, version: 'test-heavier', weights: model.weights.map((w) => w * 2) };
    pooled.useModel(heavier);
    here.useModel(heavier);
    try {
      const list = await inThreads.forStructure('dev-s06', explained, OPERATOR);
      expect(list.modelVersion).toBe('test-heavier');
      expect(bodyOf(list)).toEqual(bodyOf(inProcess.forStructure('dev-s06', explained, OPERATOR)));
    } finally {
      pooled.useModel(model);
      here.useModel(model);
    }
  });

  it('starts a thread per core beyond the first, at most three, and none for an index too large to copy', () => {
    expect([1, 2, 4, 16].map((cores) => rankingThreadCount(undefined, 5_000, cores))).toEqual([0, 1, 3, 3]);
    expect(rankingThreadCount(undefined, 250_000, 8)).toBe(0);
    expect(rankingThreadCount(2, 250_000, 8)).toBe(2);
    expect(rankingThreadCount(0, 5_000, 8)).toBe(0);
  });

  it('ranks here what a thread that stopped was asked, then everything', async () => {
    const { thesaurus, model } = loadMatchingFiles();
    const matching = createMatching({ index: Index.build(thesaurus, devSet(loadGeography())), model });
    const own = startRankingPool({ threads: 1, matching, entry: new URL('../support/serving-thread-that-stops.mjs', import.meta.url) });
    try {
      await until(() => own.ready() === 1);
      const serving = createPooledServing({
        matching, ranker: own, effects: createFeedbackEffects({ enabled: true, maxDelegatesPerWeek: 0, now: () => new Date() }),
        log: createRankingLog({ write: async () => {} }), swapShare: 0, source: 'test',
      });
      const waiting = [serving.forStructure('dev-s06', explained, OPERATOR), serving.forResource('dev-r02', explained, OPERATOR)];
      expect(own.waiting()).toBe(2);
      const lists = await Promise.all(waiting);
      expect(lists.map((l) => l.results.length > 0)).toEqual([true, true]);
      expect(own.ready()).toBe(0);
      expect(serving.forStructure('dev-s06', explained, OPERATOR)).not.toBeInstanceOf(Promise);
    } finally {
      await own.close();
    }
  });
});
